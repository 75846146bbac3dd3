#include <linux/module.h>
#define INCLUDE_VERMAGIC
#include <linux/build-salt.h>
#include <linux/elfnote-lto.h>
#include <linux/export-internal.h>
#include <linux/vermagic.h>
#include <linux/compiler.h>

BUILD_SALT;
BUILD_LTO_INFO;

MODULE_INFO(vermagic, VERMAGIC_STRING);
MODULE_INFO(name, KBUILD_MODNAME);

__visible struct module __this_module
__section(".gnu.linkonce.this_module") = {
	.name = KBUILD_MODNAME,
	.init = init_module,
#ifdef CONFIG_MODULE_UNLOAD
	.exit = cleanup_module,
#endif
	.arch = MODULE_ARCH_INIT,
};

#ifdef CONFIG_RETPOLINE
MODULE_INFO(retpoline, "Y");
#endif


static const struct modversion_info ____versions[]
__used __section("__versions") = {
	{ 0xaa0c318b, "vscnprintf" },
	{ 0xd542439, "__ipv6_addr_type" },
	{ 0x49cd25ed, "alloc_workqueue" },
	{ 0x8d522714, "__rcu_read_lock" },
	{ 0x7f02188f, "__msecs_to_jiffies" },
	{ 0xb0e602eb, "memmove" },
	{ 0xc5b6f236, "queue_work_on" },
	{ 0x9b489671, "nla_put_64bit" },
	{ 0x92540fbf, "finish_wait" },
	{ 0x51a511eb, "_raw_write_lock_bh" },
	{ 0x96848186, "scnprintf" },
	{ 0xfe1039c5, "kernel_bind" },
	{ 0xffcbde5b, "genlmsg_put" },
	{ 0x69acdf38, "memcpy" },
	{ 0x37a0cba, "kfree" },
	{ 0xaeb082ad, "_raw_read_unlock_bh" },
	{ 0x8dee722d, "_raw_read_lock_bh" },
	{ 0xe7ab1ecc, "_raw_write_unlock_bh" },
	{ 0x8c26d495, "prepare_to_wait_event" },
	{ 0x64035c8a, "remove_proc_subtree" },
	{ 0x2c18f8f5, "kernel_accept" },
	{ 0xafe04fe1, "kernel_recvmsg" },
	{ 0xcbd4898c, "fortify_panic" },
	{ 0xbdfb6dbb, "__fentry__" },
	{ 0x59c7a6b2, "register_pernet_subsys" },
	{ 0x92997ed8, "_printk" },
	{ 0xe6d2458e, "do_trace_netlink_extack" },
	{ 0x1000e51, "schedule" },
	{ 0xa19b956, "__stack_chk_fail" },
	{ 0x296695f, "refcount_warn_saturate" },
	{ 0xe46021ca, "_raw_spin_unlock_bh" },
	{ 0xa916b694, "strnlen" },
	{ 0x1eb9ab54, "__alloc_skb" },
	{ 0x6383b27c, "__x86_indirect_thunk_rdx" },
	{ 0x5d49aabc, "init_wait_var_entry" },
	{ 0x5e332b52, "__var_waitqueue" },
	{ 0x599fb41c, "kvmalloc_node" },
	{ 0x68f31cbd, "__list_add_valid" },
	{ 0x2469810f, "__rcu_read_unlock" },
	{ 0xc7a8cc8e, "kernel_getpeername" },
	{ 0xc9119dac, "netlink_unicast" },
	{ 0xc38c83b8, "mod_timer" },
	{ 0xed89811, "kfree_skb_reason" },
	{ 0xb57c8894, "kernel_sock_shutdown" },
	{ 0x8c03d20c, "destroy_workqueue" },
	{ 0x4dfa8d4b, "mutex_lock" },
	{ 0x2a21f8a, "seq_putc" },
	{ 0x1468be11, "nla_put" },
	{ 0x645c2937, "lock_sock_nested" },
	{ 0xe1537255, "__list_del_entry_valid" },
	{ 0xcefb0c9f, "__mutex_init" },
	{ 0xf8f61ebc, "wake_up_var" },
	{ 0x11089ac7, "_ctype" },
	{ 0x191ca36a, "tcp_stream_memory_free" },
	{ 0xeada3635, "sock_set_reuseaddr" },
	{ 0x4a76c501, "proc_mkdir" },
	{ 0xf44ea91, "unregister_pernet_subsys" },
	{ 0x5399ec3e, "kernel_connect" },
	{ 0xdf237453, "timer_shutdown_sync" },
	{ 0x5b8239ca, "__x86_return_thunk" },
	{ 0xe2d5255a, "strcmp" },
	{ 0x77c2be96, "skb_trim" },
	{ 0x15ba50a6, "jiffies" },
	{ 0xdd64e639, "strscpy" },
	{ 0xf6d70e91, "kernel_listen" },
	{ 0xbaf22757, "kvfree_call_rcu" },
	{ 0x8b8fc47e, "ip_sock_set_freebind" },
	{ 0x3213f038, "mutex_unlock" },
	{ 0x6c8b53a1, "sock_create_kern" },
	{ 0xc6f46339, "init_timer_key" },
	{ 0xb43f9365, "ktime_get" },
	{ 0x3c12dfe, "cancel_work_sync" },
	{ 0x56470118, "__warn_printk" },
	{ 0xf0949581, "seq_printf" },
	{ 0xca212573, "proc_create_net_single" },
	{ 0xc3690fc, "_raw_spin_lock_bh" },
	{ 0xfe9fb915, "sock_release" },
	{ 0x5caf31dc, "seq_puts" },
	{ 0xcd9e41a5, "tcp_sock_set_nodelay" },
	{ 0xab93a5c2, "genl_unregister_family" },
	{ 0x606e9d01, "kmalloc_trace" },
	{ 0x60a13e90, "rcu_barrier" },
	{ 0x754d539c, "strlen" },
	{ 0x581e2394, "__nla_parse" },
	{ 0x7aa1756e, "kvfree" },
	{ 0x9ec07055, "genl_register_family" },
	{ 0xaa51396a, "kernel_sendmsg" },
	{ 0xe2c17b5d, "__SCT__might_resched" },
	{ 0x7a7caba8, "kmalloc_caches" },
	{ 0xadcc25da, "release_sock" },
	{ 0x10ab9358, "sock_no_linger" },
	{ 0x9060323f, "module_layout" },
};

MODULE_INFO(depends, "");

