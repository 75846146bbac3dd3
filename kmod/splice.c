// SPDX-License-Identifier: GPL-2.0
/*
 * Packet splice (see splice.h, Documentation/splice.md).
 *
 * Joining: the relay has forwarded everything, so each local socket has
 * read all it received; what it sent must also be acknowledged. While
 * data streams one way (a download: the client socket always has some in
 * flight), the flows go into the hash in state DRAIN: the hooks hold the
 * packets of the side that feeds the stream, so no more comes in, while
 * the other side's still reach their socket, acks included; the relay
 * empties what is left. When both sockets look quiet, or at once when
 * nothing streams, the state turns HOLD: the hooks hold both sides'
 * packets, and a grace period lets every packet that got past them reach
 * its socket. Under both socket locks, if each socket has nothing unread
 * and nothing unacknowledged, their sequence state gives the translation
 * (xlate.c); the held packets are translated and sent on, in order, and
 * the flows turn ACTIVE. The sockets are then closed in repair mode,
 * which sends nothing: the peers never learn they existed. Otherwise the
 * flows leave the hash, the held packets go back to the stack (to their
 * sockets) and the relay goes on.
 *
 * Holding rather than dropping spares each peer a retransmission timeout
 * per splice. Each side's held packets are bounded by its socket's
 * receive buffer, which would have held them too; beyond, they are
 * dropped, and the peer retransmits.
 *
 * Forwarding: a PRE_ROUTING hook (after defragmentation, before
 * conntrack) takes each packet of an ACTIVE flow, rewrites addresses,
 * ports, seq/ack, SACK, timestamps and window, leaves the TCP checksum to
 * the output path (CHECKSUM_PARTIAL, which also serves GRO packets), and
 * sends it out as a local packet. ICMP errors about a spliced flow are
 * dropped: their quoted headers would be untranslated.
 *
 * Ending: FIN both ways, or a reset, turns the splice to linger for a
 * while (retransmitted FINs and the last ACKs still pass); then the
 * connection's work unhashes it. Idle timeout, the administrator and
 * unload reset both ends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/tcp.h>
#include "conn.h"
#include "netns.h"
#include "splice.h"
#include "sysfs.h"
#include "xlate.h"

#define SPL_SPLICE_LINGER_MS	5000	/* after both FINs or a reset */
#define SPL_SPLICE_DRAIN_MS	500	/* a stream's feeder held at most */
#define SPL_SPLICE_HASH_BITS	14

/*
 * DRAIN: one side's packets held (drain_from), the other's reach their
 * socket; HOLD: both sides' held; ACTIVE, LINGER: forwarded.
 */
enum { SPL_SP_DRAIN, SPL_SP_HOLD, SPL_SP_ACTIVE, SPL_SP_LINGER };
enum { DIR_C2S, DIR_S2C };

union spl_addr {
	__be32 v4;
	struct in6_addr v6;
};

struct spl_splice_flow {
	struct hlist_node node;		/* spl_splice_ht, RCU */
	struct spl_splice *sp;
	u8 dir;
	/* the packet as it arrives */
	union spl_addr saddr, daddr;
	__be16 sport, dport;
	/* the packet as it leaves */
	union spl_addr nsaddr, ndaddr;
	__be16 nsport, ndport;
	struct spl_xlate x;
	u16 mss;			/* the receiver's */
	u32 hash;
};

struct spl_splice {
	struct spl_splice_flow f[2];
	struct net *net;
	struct spl_conn *conn;
	u16 family;
	u8 state;			/* SPL_SP_*, READ_ONCE; held_lock to leave DRAIN/HOLD */
	u8 drain_from;			/* DRAIN: the flow whose packets are held */
	unsigned long drain_end;	/* jiffies: DRAIN gives up */
	spinlock_t held_lock;		/* held[], held_bytes[], leaving DRAIN/HOLD */
	struct sk_buff_head held[2];	/* packets as they arrived, per flow */
	u32 held_bytes[2], held_max[2];	/* truesize */
	bool fin[2], rst;		/* seen from each side */
	u32 last_seq[2];		/* raw highest next seq from each side */
	u32 last_ack[2];		/* raw highest ack from each side */
	unsigned long last_rx;		/* jiffies: last packet */
	unsigned long end_at;		/* jiffies: linger ends */
	atomic64_t bytes[2];
	atomic64_t pkts[2];
	struct spl_xlate_leg leg[2];	/* as retired, for procfs */
};

static DEFINE_HASHTABLE(spl_splice_ht, SPL_SPLICE_HASH_BITS);
static DEFINE_SPINLOCK(spl_splice_lock);	/* writers of spl_splice_ht */
static atomic_t spl_splices = ATOMIC_INIT(0);	/* flows hashed, for a fast no */

static u32 flow_hash(const struct net *net, u16 family, const union spl_addr *s,
		     const union spl_addr *d, __be16 sport, __be16 dport)
{
	u32 a = family == AF_INET6 ? ipv6_addr_hash(&s->v6) : (__force u32)s->v4;
	u32 b = family == AF_INET6 ? ipv6_addr_hash(&d->v6) : (__force u32)d->v4;

	return jhash_3words(a, b, (__force u32)sport << 16 | (__force u32)dport,
			    net_hash_mix(net));
}

static bool addr_eq(u16 family, const union spl_addr *a, const union spl_addr *b)
{
	return family == AF_INET6 ? ipv6_addr_equal(&a->v6, &b->v6) : a->v4 == b->v4;
}

/* RCU held (a netfilter hook). */
static struct spl_splice_flow *flow_find(const struct net *net, u16 family,
					 const union spl_addr *s,
					 const union spl_addr *d,
					 __be16 sport, __be16 dport)
{
	u32 hash = flow_hash(net, family, s, d, sport, dport);
	struct spl_splice_flow *f;

	hash_for_each_possible_rcu(spl_splice_ht, f, node, hash) {
		if (f->hash == hash && f->sp->family == family &&
		    net_eq(f->sp->net, net) && f->sport == sport &&
		    f->dport == dport && addr_eq(family, &f->saddr, s) &&
		    addr_eq(family, &f->daddr, d))
			return f;
	}
	return NULL;
}

/* ---- forwarding ---- */

static void note(struct spl_splice *sp, u8 dir, const struct tcphdr *th,
		 u32 payload)
{
	bool wake = false;

	u32 end = ntohl(th->seq) + payload + th->fin;

	WRITE_ONCE(sp->last_rx, jiffies);
	/* highest, not latest: retransmissions and reordering go backwards */
	if (after(end, READ_ONCE(sp->last_seq[dir])))
		WRITE_ONCE(sp->last_seq[dir], end);
	if (th->ack && after(ntohl(th->ack_seq), READ_ONCE(sp->last_ack[dir])))
		WRITE_ONCE(sp->last_ack[dir], ntohl(th->ack_seq));
	if (th->rst && !READ_ONCE(sp->rst)) {
		WRITE_ONCE(sp->rst, true);
		wake = true;
	}
	if (th->fin && !READ_ONCE(sp->fin[dir])) {
		WRITE_ONCE(sp->fin[dir], true);
		wake = true;
	}
	atomic64_add(payload, &sp->bytes[dir]);
	atomic64_inc(&sp->pkts[dir]);
	if (wake)
		spl_conn_wake(sp->conn);
}

/* Offload the TCP checksum to the way out (also right for GSO packets). */
static void csum_partial_tcp(struct sk_buff *skb, struct tcphdr *th)
{
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (unsigned char *)th - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
}

static void gso_clamp(struct sk_buff *skb, u16 mss)
{
	struct skb_shared_info *si = skb_shinfo(skb);

	if (skb_is_gso(skb) && mss && si->gso_size > mss) {
		si->gso_size = mss;
		si->gso_type |= SKB_GSO_DODGY;
		si->gso_segs = 0;
	}
}

static unsigned int out4(struct net *net, struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	struct rtable *rt;

	rt = ip_route_output(net, iph->daddr, iph->saddr, 0, 0);
	if (IS_ERR(rt))
		return NF_DROP;
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	skb_clear_tstamp(skb);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	ip_local_out(net, NULL, skb);
	return NF_STOLEN;
}

static unsigned int out6(struct net *net, struct sk_buff *skb)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_TCP,
		.daddr = ip6h->daddr,
		.saddr = ip6h->saddr,
	};
	struct dst_entry *dst;

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return NF_DROP;
	}
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	skb_clear_tstamp(skb);
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6_local_out(net, NULL, skb);
	return NF_STOLEN;
}

/*
 * An ICMP error quoting a spliced flow's packet: the quote is in the
 * other flow's numbers, meaningless to the receiver. Dropped; TCP copes.
 */
static bool icmp_about_splice4(struct net *net, struct sk_buff *skb)
{
	unsigned int off = ip_hdrlen(skb);
	struct icmphdr _ih, *ih;
	struct iphdr _iph, *iph;
	__be16 _ports[2], *ports;
	union spl_addr s, d;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || !icmp_is_err(ih->type))
		return false;
	iph = skb_header_pointer(skb, off + sizeof(_ih), sizeof(_iph), &_iph);
	if (!iph || iph->protocol != IPPROTO_TCP || iph->ihl < 5)
		return false;
	ports = skb_header_pointer(skb, off + sizeof(_ih) + iph->ihl * 4,
				   sizeof(_ports), &_ports);
	if (!ports)
		return false;
	/* the quoted packet went from its source to its destination */
	s.v4 = iph->daddr;
	d.v4 = iph->saddr;
	return flow_find(net, AF_INET, &s, &d, ports[1], ports[0]);
}

/* What becomes of a packet of a flow that is not yet ACTIVE. */
enum { SPL_GATE_FORWARD, SPL_GATE_PASS, SPL_GATE_STOLEN, SPL_GATE_DROP };

/* Softirq; the flow's splice leaves DRAIN and HOLD under held_lock. */
static int gate(struct spl_splice_flow *f, struct sk_buff *skb)
{
	struct spl_splice *sp = f->sp;
	int ret = SPL_GATE_STOLEN;
	u8 st = smp_load_acquire(&sp->state);	/* ACTIVE: the translation is set */

	if (st != SPL_SP_DRAIN && st != SPL_SP_HOLD)
		return SPL_GATE_FORWARD;
	spin_lock(&sp->held_lock);
	st = sp->state;
	if (st != SPL_SP_DRAIN && st != SPL_SP_HOLD) {
		ret = SPL_GATE_FORWARD;
	} else if (st == SPL_SP_DRAIN && f->dir != sp->drain_from) {
		ret = SPL_GATE_PASS;	/* to its socket: acks drain the stream */
	} else if (sp->held_bytes[f->dir] + skb->truesize > sp->held_max[f->dir]) {
		ret = SPL_GATE_DROP;	/* the peer retransmits it */
	} else {
		/* routed again on the way out, or back in */
		skb_dst_drop(skb);
		dev_hold(skb->dev);
		sp->held_bytes[f->dir] += skb->truesize;
		__skb_queue_tail(&sp->held[f->dir], skb);
	}
	spin_unlock(&sp->held_lock);
	return ret;
}

/* A packet of @f, its TCP header in the linear part: translated and sent. */
static unsigned int forward4(struct net *net, struct spl_splice_flow *f,
			     struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = iph->ihl * 4, doff, len;
	struct tcphdr *th;

	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	doff = th->doff * 4;
	len = ntohs(iph->tot_len);
	if (doff < sizeof(*th) || len < ihl + doff || skb->len < len ||
	    skb_ensure_writable(skb, ihl + doff))
		return NF_DROP;
	iph = ip_hdr(skb);
	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	note(f->sp, f->dir, th, len - ihl - doff);
	if (spl_xlate_tcp((u8 *)th, doff, &f->x))
		return NF_DROP;
	iph->saddr = f->nsaddr.v4;
	iph->daddr = f->ndaddr.v4;
	th->source = f->nsport;
	th->dest = f->ndport;
	th->check = ~tcp_v4_check(len - ihl, iph->saddr, iph->daddr, 0);
	csum_partial_tcp(skb, th);
	gso_clamp(skb, f->mss);
	return out4(net, skb);
}

static unsigned int gate_verdict(int g)
{
	return g == SPL_GATE_STOLEN ? NF_STOLEN :
	       g == SPL_GATE_DROP ? NF_DROP : NF_ACCEPT;
}

static unsigned int spl_splice_hook4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct spl_splice_flow *f;
	union spl_addr s, d;
	struct tcphdr *th;
	struct iphdr *iph;
	unsigned int ihl;
	int g;

	if (!atomic_read(&spl_splices))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	if (iph->protocol == IPPROTO_ICMP)
		return icmp_about_splice4(state->net, skb) ? NF_DROP : NF_ACCEPT;
	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return NF_ACCEPT;
	ihl = iph->ihl * 4;
	if (!pskb_may_pull(skb, ihl + sizeof(*th)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	s.v4 = iph->saddr;
	d.v4 = iph->daddr;
	f = flow_find(state->net, AF_INET, &s, &d, th->source, th->dest);
	if (!f)
		return NF_ACCEPT;
	g = gate(f, skb);
	if (g != SPL_GATE_FORWARD)
		return gate_verdict(g);
	return forward4(state->net, f, skb);
}

static bool icmp_about_splice6(struct net *net, struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr);
	struct icmp6hdr _ih, *ih;
	struct ipv6hdr _ip6h, *ip6h;
	__be16 _ports[2], *ports;
	union spl_addr s, d;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || !icmpv6_is_err(ih->icmp6_type))
		return false;
	ip6h = skb_header_pointer(skb, off + sizeof(_ih), sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->nexthdr != IPPROTO_TCP)
		return false;
	ports = skb_header_pointer(skb, off + sizeof(_ih) + sizeof(_ip6h),
				   sizeof(_ports), &_ports);
	if (!ports)
		return false;
	s.v6 = ip6h->daddr;
	d.v6 = ip6h->saddr;
	return flow_find(net, AF_INET6, &s, &d, ports[1], ports[0]);
}

static unsigned int forward6(struct net *net, struct spl_splice_flow *f,
			     struct sk_buff *skb)
{
	const unsigned int ihl = sizeof(struct ipv6hdr);
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int doff, len;
	struct tcphdr *th;

	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	doff = th->doff * 4;
	len = ntohs(ip6h->payload_len);
	if (doff < sizeof(*th) || len < doff || skb->len < ihl + len ||
	    skb_ensure_writable(skb, ihl + doff))
		return NF_DROP;
	ip6h = ipv6_hdr(skb);
	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	note(f->sp, f->dir, th, len - doff);
	if (spl_xlate_tcp((u8 *)th, doff, &f->x))
		return NF_DROP;
	ip6h->saddr = f->nsaddr.v6;
	ip6h->daddr = f->ndaddr.v6;
	th->source = f->nsport;
	th->dest = f->ndport;
	th->check = ~tcp_v6_check(len, &ip6h->saddr, &ip6h->daddr, 0);
	csum_partial_tcp(skb, th);
	gso_clamp(skb, f->mss);
	return out6(net, skb);
}

static unsigned int spl_splice_hook6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const unsigned int ihl = sizeof(struct ipv6hdr);
	struct spl_splice_flow *f;
	struct ipv6hdr *ip6h;
	union spl_addr s, d;
	struct tcphdr *th;
	int g;

	if (!atomic_read(&spl_splices))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	if (ip6h->nexthdr == IPPROTO_ICMPV6)
		return icmp_about_splice6(state->net, skb) ? NF_DROP : NF_ACCEPT;
	if (ip6h->nexthdr != IPPROTO_TCP)
		return NF_ACCEPT;	/* extension headers: not ours */
	if (!pskb_may_pull(skb, ihl + sizeof(*th)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	s.v6 = ip6h->saddr;
	d.v6 = ip6h->daddr;
	f = flow_find(state->net, AF_INET6, &s, &d, th->source, th->dest);
	if (!f)
		return NF_ACCEPT;
	g = gate(f, skb);
	if (g != SPL_GATE_FORWARD)
		return gate_verdict(g);
	return forward6(state->net, f, skb);
}

/*
 * After defragmentation, before conntrack: conntrack never sees the
 * packets the hook steals, and the rewritten ones enter LOCAL_OUT as new.
 */
static const struct nf_hook_ops spl_splice_ops[] = {
	{
		.hook = spl_splice_hook4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = spl_splice_hook6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	},
};

int spl_splice_net_init(struct net *net)
{
	return nf_register_net_hooks(net, spl_splice_ops, ARRAY_SIZE(spl_splice_ops));
}

void spl_splice_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, spl_splice_ops, ARRAY_SIZE(spl_splice_ops));
}

/* ---- joining ---- */

static void sock_addrs(struct sock *sk, union spl_addr *local, __be16 *lport,
		       union spl_addr *remote, __be16 *rport)
{
	if (sk->sk_family == AF_INET6) {
		local->v6 = sk->sk_v6_rcv_saddr;
		remote->v6 = sk->sk_v6_daddr;
	} else {
		local->v4 = sk->sk_rcv_saddr;
		remote->v4 = sk->sk_daddr;
	}
	*lport = htons(sk->sk_num);
	*rport = sk->sk_dport;
}

static void hash_flows(struct spl_splice *sp)
{
	int i;

	spin_lock_bh(&spl_splice_lock);
	for (i = 0; i < 2; i++)
		hash_add_rcu(spl_splice_ht, &sp->f[i].node, sp->f[i].hash);
	spin_unlock_bh(&spl_splice_lock);
	atomic_add(2, &spl_splices);
}

/* Out of the hash, and no hook still looking at it; may sleep. */
static void unhash_flows(struct spl_splice *sp)
{
	int i;

	spin_lock_bh(&spl_splice_lock);
	for (i = 0; i < 2; i++)
		hash_del_rcu(&sp->f[i].node);
	spin_unlock_bh(&spl_splice_lock);
	atomic_sub(2, &spl_splices);
	synchronize_net();
}

/* Nothing unread, nothing unacknowledged, no FIN: socket lock held. */
static const char *not_quiet(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state != TCP_ESTABLISHED)
		return "not established";
	if (READ_ONCE(tp->copied_seq) != tp->rcv_nxt ||
	    !skb_queue_empty(&sk->sk_receive_queue))
		return "data unread";
	if (tp->snd_una != tp->write_seq || tp->snd_nxt != tp->write_seq)
		return "data unacknowledged";
	if (!RB_EMPTY_ROOT(&tp->out_of_order_queue))
		return "data out of order";
	if (tp->urg_data)
		return "urgent data";
	return NULL;
}

static void leg_of(struct sock *sk, struct spl_xlate_leg *leg)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	leg->snd_nxt = tp->snd_nxt;
	leg->rcv_nxt = tp->rcv_nxt;
	leg->ts_now = tcp_time_stamp_raw() + tp->tsoffset;
	leg->ts_recent = tp->rx_opt.ts_recent;
	leg->snd_wscale = tp->rx_opt.snd_wscale;
	leg->rcv_wscale = tp->rx_opt.rcv_wscale;
	leg->sack_ok = tp->rx_opt.sack_ok;
	leg->ts_ok = tp->rx_opt.tstamp_ok;
}

/*
 * Silence @sock: in repair mode neither tcp_close() nor tcp_disconnect()
 * sends a packet. A parked server socket stays open (and hashed) while its
 * flow is spliced, so its local port and 4-tuple cannot be handed to a new
 * connection whose packets the hooks would take for the spliced flow's; it
 * never sees a packet of that flow, the hooks take them all.
 */
void spl_splice_park(struct socket *sock)
{
	struct sock *sk = sock->sk;

	lock_sock(sk);
	tcp_sk(sk)->repair = 1;
	tcp_sk(sk)->repair_queue = TCP_NO_QUEUE;
	release_sock(sk);
}

/* Close @sock without a packet. */
void spl_splice_retire(struct socket *sock)
{
	spl_splice_park(sock);
	sock_release(sock);
}

static void flow_set(struct spl_splice_flow *f, struct spl_splice *sp, u8 dir,
		     const union spl_addr *s, __be16 sport,
		     const union spl_addr *d, __be16 dport,
		     const union spl_addr *ns, __be16 nsport,
		     const union spl_addr *nd, __be16 ndport)
{
	f->sp = sp;
	f->dir = dir;
	f->saddr = *s;
	f->sport = sport;
	f->daddr = *d;
	f->dport = dport;
	f->nsaddr = *ns;
	f->nsport = nsport;
	f->ndaddr = *nd;
	f->ndport = ndport;
	f->hash = flow_hash(sp->net, sp->family, s, d, sport, dport);
}

/* Whether @sk still has data its peer has not acknowledged (lockless). */
static bool sending(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return READ_ONCE(tp->snd_una) != READ_ONCE(tp->write_seq);
}

/* not_quiet() without the lock: worth holding both sides for a real look. */
static bool looks_quiet(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return READ_ONCE(tp->copied_seq) == READ_ONCE(tp->rcv_nxt) &&
	       skb_queue_empty_lockless(&sk->sk_receive_queue) && !sending(sk);
}

/*
 * Translate and send on what was held, in order, then let the hooks
 * forward the rest: a packet arriving meanwhile is queued behind. The
 * translation is set. Process context.
 */
static void release_held(struct spl_splice *sp)
{
	struct sk_buff_head list[2];
	struct net_device *dev;
	struct sk_buff *skb;
	unsigned int v;
	int dir;

	for (;;) {
		spin_lock_bh(&sp->held_lock);
		if (skb_queue_empty(&sp->held[0]) && skb_queue_empty(&sp->held[1])) {
			/* pairs with gate(): the translation before ACTIVE */
			smp_store_release(&sp->state, SPL_SP_ACTIVE);
			spin_unlock_bh(&sp->held_lock);
			return;
		}
		for (dir = 0; dir < 2; dir++) {
			__skb_queue_head_init(&list[dir]);
			skb_queue_splice_init(&sp->held[dir], &list[dir]);
			sp->held_bytes[dir] = 0;
		}
		spin_unlock_bh(&sp->held_lock);

		local_bh_disable();
		for (dir = 0; dir < 2; dir++) {
			while ((skb = __skb_dequeue(&list[dir]))) {
				dev = skb->dev;
				v = sp->family == AF_INET6 ?
					forward6(sp->net, &sp->f[dir], skb) :
					forward4(sp->net, &sp->f[dir], skb);
				if (v != NF_STOLEN)
					kfree_skb(skb);
				dev_put(dev);
			}
		}
		local_bh_enable();
	}
}

/*
 * The join is off: the flows leave the hash, and what was held goes back
 * into the stack, where it now reaches its socket. May sleep.
 */
static void abandon(struct spl_splice *sp)
{
	struct net_device *dev;
	struct sk_buff *skb;
	int dir;

	unhash_flows(sp);	/* no hook holds any more */
	for (dir = 0; dir < 2; dir++) {
		while ((skb = __skb_dequeue(&sp->held[dir]))) {
			dev = skb->dev;
			netif_rx(skb);
			dev_put(dev);
		}
	}
	kfree(sp);
}

void spl_splice_cancel(struct spl_conn *conn)
{
	struct spl_splice *sp = conn->splicing;

	if (sp) {
		conn->splicing = NULL;
		abandon(sp);
	}
}

bool spl_splice_overdue(struct spl_conn *conn)
{
	const struct spl_splice *sp = conn->splicing;

	return sp && sp->state == SPL_SP_DRAIN && time_after_eq(jiffies, sp->drain_end);
}

/*
 * A new join of @conn's flows, hashed: DRAIN or HOLD; with @only_drain,
 * DRAIN or nothing (-EAGAIN).
 */
static int join_start(struct spl_conn *conn, bool may_drain, bool only_drain,
		      const char **why)
{
	struct sock *ca = conn->csock->sk, *sb = conn->ssock->sk;
	union spl_addr vip, cli, lip, srv;
	__be16 vport, cport, lport, sport;
	bool a_sends, b_sends;
	struct spl_splice *sp;
	int dir;

	if (ca->sk_family != sb->sk_family) {
		*why = "client and server differ in address family";
		return -EAFNOSUPPORT;
	}
	if (ca->sk_family == AF_INET6 &&
	    (ipv6_addr_v4mapped(&ca->sk_v6_daddr) || ipv6_addr_v4mapped(&sb->sk_v6_daddr))) {
		*why = "an IPv4 peer on an IPv6 socket";
		return -EAFNOSUPPORT;
	}
	/*
	 * Segments sized for one path would not fit the other: the splice
	 * forwards them whole (no PMTU discovery across it), so stay on the
	 * relay, which re-segments.
	 */
	if (READ_ONCE(inet_csk(ca)->icsk_pmtu_cookie) !=
	    READ_ONCE(inet_csk(sb)->icsk_pmtu_cookie)) {
		*why = "the two paths' MTUs differ";
		return -EMSGSIZE;
	}
	/*
	 * A stream one way: hold its feeder and let the relay empty the
	 * rest. Both ways or neither: hold both at once.
	 */
	a_sends = sending(ca);
	b_sends = sending(sb);
	may_drain = may_drain && a_sends != b_sends;
	if (only_drain && !may_drain)
		return -EAGAIN;
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp) {
		*why = "no memory";
		return -ENOMEM;
	}
	sp->net = conn->sn->net;
	sp->conn = conn;
	sp->family = ca->sk_family;
	spin_lock_init(&sp->held_lock);
	for (dir = 0; dir < 2; dir++)
		__skb_queue_head_init(&sp->held[dir]);
	/* what each side's socket would have buffered */
	sp->held_max[DIR_C2S] = READ_ONCE(ca->sk_rcvbuf);
	sp->held_max[DIR_S2C] = READ_ONCE(sb->sk_rcvbuf);
	if (may_drain) {
		sp->state = SPL_SP_DRAIN;
		sp->drain_from = a_sends ? DIR_S2C : DIR_C2S;
		sp->drain_end = jiffies + msecs_to_jiffies(SPL_SPLICE_DRAIN_MS);
	} else {
		sp->state = SPL_SP_HOLD;
	}
	sock_addrs(ca, &vip, &vport, &cli, &cport);
	sock_addrs(sb, &lip, &lport, &srv, &sport);
	/* client -> VIP becomes local -> server; server -> local becomes VIP -> client */
	flow_set(&sp->f[DIR_C2S], sp, DIR_C2S, &cli, cport, &vip, vport,
		 &lip, lport, &srv, sport);
	flow_set(&sp->f[DIR_S2C], sp, DIR_S2C, &srv, sport, &lip, lport,
		 &vip, vport, &cli, cport);
	hash_flows(sp);
	conn->splicing = sp;
	return 0;
}

int spl_splice_drain(struct spl_conn *conn, const char **why)
{
	if (conn->splicing)
		return 0;
	return join_start(conn, true, true, why);
}

int spl_splice_try(struct spl_conn *conn, bool may_drain, const char **why)
{
	struct sock *ca = conn->csock->sk, *sb = conn->ssock->sk;
	struct spl_splice *sp;
	int err;

	if (!conn->splicing) {
		err = join_start(conn, may_drain, false, why);
		if (err)
			return err;
	}
	sp = conn->splicing;
	if (sp->state == SPL_SP_DRAIN) {
		if (!looks_quiet(ca) || !looks_quiet(sb)) {
			*why = "draining";
			return -EINPROGRESS;
		}
		spin_lock_bh(&sp->held_lock);
		WRITE_ONCE(sp->state, SPL_SP_HOLD);
		spin_unlock_bh(&sp->held_lock);
	}
	synchronize_net();	/* every packet past the hooks is in its socket */

	lock_sock(ca);
	lock_sock_nested(sb, SINGLE_DEPTH_NESTING);
	*why = not_quiet(ca) ?: not_quiet(sb);
	if (*why) {
		release_sock(sb);
		release_sock(ca);
		spl_splice_cancel(conn);
		return -EAGAIN;
	}
	leg_of(ca, &sp->leg[DIR_C2S]);
	leg_of(sb, &sp->leg[DIR_S2C]);
	spl_xlate_pair(&sp->leg[DIR_C2S], &sp->leg[DIR_S2C],
		       &sp->f[DIR_C2S].x, &sp->f[DIR_S2C].x);
	sp->f[DIR_C2S].mss = tcp_sk(sb)->mss_cache;
	sp->f[DIR_S2C].mss = tcp_sk(ca)->mss_cache;
	sp->last_seq[DIR_C2S] = sp->leg[DIR_C2S].rcv_nxt;
	sp->last_ack[DIR_C2S] = sp->leg[DIR_C2S].snd_nxt;
	sp->last_seq[DIR_S2C] = sp->leg[DIR_S2C].rcv_nxt;
	sp->last_ack[DIR_S2C] = sp->leg[DIR_S2C].snd_nxt;
	sp->last_rx = jiffies;
	release_sock(sb);
	release_sock(ca);

	conn->splicing = NULL;
	conn->splice = sp;
	release_held(sp);	/* and ACTIVE */
	return 0;
}

/* ---- ending ---- */

/* A reset to one end, as if from the other; @dir: the flow it goes out on. */
static void send_reset_seq(struct spl_splice *sp, u8 dir, u32 seq)
{
	const struct spl_splice_flow *f = &sp->f[dir];
	unsigned int ihl = sp->family == AF_INET6 ? sizeof(struct ipv6hdr) :
						    sizeof(struct iphdr);
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = alloc_skb(MAX_TCP_HEADER + ihl + sizeof(*th), GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, MAX_TCP_HEADER);
	skb_reset_network_header(skb);
	skb_put(skb, ihl + sizeof(*th));
	skb_set_transport_header(skb, ihl);
	th = tcp_hdr(skb);
	memset(th, 0, sizeof(*th));
	th->source = f->nsport;
	th->dest = f->ndport;
	th->seq = htonl(seq);
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	if (sp->family == AF_INET6) {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		memset(ip6h, 0, sizeof(*ip6h));
		ip6h->version = 6;
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->payload_len = htons(sizeof(*th));
		ip6h->saddr = f->nsaddr.v6;
		ip6h->daddr = f->ndaddr.v6;
		th->check = ~tcp_v6_check(sizeof(*th), &ip6h->saddr, &ip6h->daddr, 0);
		skb->protocol = htons(ETH_P_IPV6);
		csum_partial_tcp(skb, th);
		local_bh_disable();
		if (out6(sp->net, skb) != NF_STOLEN)
			kfree_skb(skb);
		local_bh_enable();
	} else {
		struct iphdr *iph = ip_hdr(skb);

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->protocol = IPPROTO_TCP;
		iph->tot_len = htons(ihl + sizeof(*th));
		iph->frag_off = htons(IP_DF);
		iph->saddr = f->nsaddr.v4;
		iph->daddr = f->ndaddr.v4;
		th->check = ~tcp_v4_check(sizeof(*th), iph->saddr, iph->daddr, 0);
		skb->protocol = htons(ETH_P_IP);
		csum_partial_tcp(skb, th);
		local_bh_disable();
		if (out4(sp->net, skb) != NF_STOLEN)
			kfree_skb(skb);
		local_bh_enable();
	}
}

/*
 * A receiver takes a reset only at exactly its rcv_nxt (RFC 5961); one
 * below the left edge of its window is dropped without a word. What it
 * last acknowledged is right when the flow is still; while data is in
 * flight, acks newer than the one seen here may have moved the edge past
 * it. So a second reset goes at the end of what was forwarded to it: that
 * one is exact once the data in flight is in, and otherwise inside the
 * window, where the receiver answers with a challenge ACK that this end's
 * stack (the flow no longer hashed, no socket behind it) resets at the
 * number the receiver itself gave.
 */
static void send_reset(struct spl_splice *sp, u8 dir)
{
	u32 acked = READ_ONCE(sp->last_ack[!dir]);
	u32 sent = READ_ONCE(sp->last_seq[dir]) + sp->f[dir].x.seq;

	send_reset_seq(sp, dir, acked);
	if (sent != acked)
		send_reset_seq(sp, dir, sent);
}

enum spl_splice_end spl_splice_poll(struct spl_conn *conn, u32 idle_ms,
				    bool *idle)
{
	struct spl_splice *sp = conn->splice;

	*idle = false;
	if (READ_ONCE(sp->rst) || (READ_ONCE(sp->fin[0]) && READ_ONCE(sp->fin[1]))) {
		if (sp->state != SPL_SP_LINGER) {
			WRITE_ONCE(sp->state, SPL_SP_LINGER);
			sp->end_at = jiffies + msecs_to_jiffies(SPL_SPLICE_LINGER_MS);
		}
		if (time_before(jiffies, sp->end_at))
			return SPL_SPLICE_RUNNING;
		return READ_ONCE(sp->rst) ? SPL_SPLICE_RESET : SPL_SPLICE_CLOSED;
	}
	if (time_after_eq(jiffies, READ_ONCE(sp->last_rx) + msecs_to_jiffies(idle_ms)))
		*idle = true;
	return SPL_SPLICE_RUNNING;
}

/* When the next poll is due, for the connection's timer. */
unsigned long spl_splice_next(struct spl_conn *conn, u32 idle_ms)
{
	struct spl_splice *sp = conn->splice;

	if (sp->state == SPL_SP_LINGER)
		return sp->end_at;
	return READ_ONCE(sp->last_rx) + msecs_to_jiffies(idle_ms);
}

void spl_splice_end(struct spl_conn *conn, bool reset)
{
	struct spl_splice *sp = conn->splice;

	if (!sp)
		return;
	/* procfs reads it under a spinlock: the grace period covers it too */
	WRITE_ONCE(conn->splice, NULL);
	/* no hook moves last_seq/last_ack past this: the resets use the last */
	unhash_flows(sp);
	if (reset && sp->state != SPL_SP_LINGER) {
		send_reset(sp, DIR_S2C);	/* to the client */
		send_reset(sp, DIR_C2S);	/* to the server */
	}
	atomic64_add(atomic64_read(&sp->bytes[DIR_C2S]), &conn->splice_bytes[0]);
	atomic64_add(atomic64_read(&sp->bytes[DIR_S2C]), &conn->splice_bytes[1]);
	kfree(sp);
}

void spl_splice_show(struct seq_file *m, struct spl_conn *conn)
{
	struct spl_splice *sp = READ_ONCE(conn->splice);

	if (!sp)
		return;
	seq_printf(m, " seq_c2s=%+d ack_c2s=%+d seq_s2c=%+d ack_s2c=%+d pkts=%lld/%lld%s",
		   (s32)sp->f[DIR_C2S].x.seq, (s32)sp->f[DIR_C2S].x.ack,
		   (s32)sp->f[DIR_S2C].x.seq, (s32)sp->f[DIR_S2C].x.ack,
		   atomic64_read(&sp->pkts[DIR_C2S]), atomic64_read(&sp->pkts[DIR_S2C]),
		   READ_ONCE(sp->state) == SPL_SP_LINGER ? " closing" : "");
}

int spl_splice_init(void)
{
	return 0;
}

void spl_splice_exit(void)
{
	WARN_ON(atomic_read(&spl_splices));
}
