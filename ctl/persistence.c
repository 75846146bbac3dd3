// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence and stick tables without I/O (see persistence.h): argument
 * parsing, netlink encoding and decoding, and the text formats.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>

#include "output.h"
#include "persistence.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- names ------------------------------------------------------------ */

static const char *const mode_names[] = {
	[SPLICER_PERSIST_NONE] = "off",
	[SPLICER_PERSIST_COOKIE] = "cookie",
	[SPLICER_PERSIST_PREFIX] = "prefix",
	[SPLICER_PERSIST_LEARN] = "learn",
	[SPLICER_PERSIST_SOURCE] = "source",
	[SPLICER_PERSIST_HASH] = "hash",
};

static const char *const hash_key_names[] = {
	[SPLICER_HASH_SOURCE] = "source",
	[SPLICER_HASH_HEADER] = "header",
	[SPLICER_HASH_COOKIE] = "cookie",
	[SPLICER_HASH_PARAM] = "param",
};

static const char *const stick_kind_names[] = {
	[SPLICER_STICK_SESSION] = "session",
	[SPLICER_STICK_SOURCE] = "source",
};

const char *persist_mode_name(uint8_t mode)
{
	return mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : NULL;
}

const char *hash_key_name(uint8_t key)
{
	return key < ARRAY_SIZE(hash_key_names) ? hash_key_names[key] : NULL;
}

const char *stick_kind_name(uint8_t kind)
{
	return kind < ARRAY_SIZE(stick_kind_names) ? stick_kind_names[kind] : NULL;
}

static int lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

/* ---- "persist SERVICE MODE [OPTIONS]" --------------------------------- */

enum opt {
	O_NAME, O_INDIRECT, O_NOCACHE, O_SECURE, O_STRICT, O_MAXIDLE,
	O_MAXLIFE, O_TIMEOUT, O_SIZE, O_MASK4, O_MASK6, O_KEY,
};

#define O(x)	(1u << O_##x)

static const struct option {
	const char *word;
	uint32_t flag;		/* a flag word: SPLICER_PERSIST_F_* */
	int attr;		/* else the attribute its value sets */
} options[] = {
	[O_NAME] = { "name", 0, SPLICER_PERSIST_A_NAME },
	[O_INDIRECT] = { "indirect", SPLICER_PERSIST_F_INDIRECT, 0 },
	[O_NOCACHE] = { "nocache", SPLICER_PERSIST_F_NOCACHE, 0 },
	[O_SECURE] = { "secure", SPLICER_PERSIST_F_SECURE, 0 },
	[O_STRICT] = { "strict", SPLICER_PERSIST_F_STRICT, 0 },
	[O_MAXIDLE] = { "maxidle", 0, SPLICER_PERSIST_A_MAXIDLE },
	[O_MAXLIFE] = { "maxlife", 0, SPLICER_PERSIST_A_MAXLIFE },
	[O_TIMEOUT] = { "timeout", 0, SPLICER_PERSIST_A_TIMEOUT },
	[O_SIZE] = { "size", 0, SPLICER_PERSIST_A_SIZE },
	[O_MASK4] = { "mask4", 0, SPLICER_PERSIST_A_MASK4 },
	[O_MASK6] = { "mask6", 0, SPLICER_PERSIST_A_MASK6 },
	[O_KEY] = { "key", 0, SPLICER_PERSIST_A_KEY },
};

/* The options each mode takes, after its own positional words. */
static const uint32_t mode_options[] = {
	[SPLICER_PERSIST_NONE] = O(KEY),
	[SPLICER_PERSIST_COOKIE] = O(NAME) | O(INDIRECT) | O(NOCACHE) | O(SECURE) |
				   O(STRICT) | O(MAXIDLE) | O(MAXLIFE) | O(KEY),
	[SPLICER_PERSIST_PREFIX] = O(NAME) | O(SECURE) | O(STRICT) | O(MAXIDLE) |
				   O(MAXLIFE) | O(KEY),
	[SPLICER_PERSIST_LEARN] = O(NAME) | O(TIMEOUT) | O(SIZE) | O(STRICT) | O(KEY),
	[SPLICER_PERSIST_SOURCE] = O(MASK4) | O(MASK6) | O(TIMEOUT) | O(SIZE) |
				   O(STRICT) | O(KEY),
	[SPLICER_PERSIST_HASH] = O(STRICT) | O(KEY),	/* + masks for source */
};

/* The flags a mode takes (the flag words of mode_options). */
static uint32_t mode_flags(uint8_t mode)
{
	uint32_t flags = 0;
	size_t i;

	if (mode >= ARRAY_SIZE(mode_options))
		return 0;
	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (mode_options[mode] & (1u << i))
			flags |= options[i].flag;
	return flags;
}

static int option_value(const struct option *o, const char *val,
			struct persist *p, char *err, size_t errlen)
{
	const char *why = NULL;
	uint32_t v;

	switch (o->attr) {
	case SPLICER_PERSIST_A_NAME:
		why = parse_token_name(val);
		if (!why)
			snprintf(p->name, sizeof(p->name), "%s", val);
		break;
	case SPLICER_PERSIST_A_MAXIDLE:
		why = parse_duration_s(val, &p->maxidle);
		break;
	case SPLICER_PERSIST_A_MAXLIFE:
		why = parse_duration_s(val, &p->maxlife);
		break;
	case SPLICER_PERSIST_A_TIMEOUT:
		why = parse_duration_s(val, &p->timeout);
		break;
	case SPLICER_PERSIST_A_SIZE:
		why = parse_u32(val, 1, UINT32_MAX, &p->size);
		if (why && !strcmp(why, "out of range"))
			why = "must be at least 1";
		break;
	case SPLICER_PERSIST_A_MASK4:
	case SPLICER_PERSIST_A_MASK6: {
		uint32_t max = o->attr == SPLICER_PERSIST_A_MASK4 ? 32 : 128;

		why = parse_u32(val, 1, max, &v);
		if (why && !strcmp(why, "out of range"))
			why = max == 32 ? "an IPv4 prefix length is 1..32" :
					  "an IPv6 prefix length is 1..128";
		if (!why)
			*(o->attr == SPLICER_PERSIST_A_MASK4 ? &p->mask4 : &p->mask6) =
				(uint8_t)v;
		break;
	}
	case SPLICER_PERSIST_A_KEY:
		why = parse_hex_key(val, p->key);
		break;
	}
	if (why)
		return fail(err, errlen, "%s \"%s\": %s", o->word, val, why);
	SET(p, o->attr);
	return 0;
}

/* Keyword options of a mode: each once, flags bare, others with a value. */
static int parse_options(uint8_t mode, uint32_t allowed, int argc,
			 char *const *argv, struct persist *p, char *err,
			 size_t errlen)
{
	const char *mname = mode_names[mode];
	uint32_t seen = 0;
	int i;

	for (i = 0; i < argc; i++) {
		const char *word = argv[i];
		const struct option *o;
		size_t j;

		for (j = 0; j < ARRAY_SIZE(options); j++)
			if (!strcmp(options[j].word, word))
				break;
		if (j == ARRAY_SIZE(options))
			return fail(err, errlen, "unknown option \"%s\"", word);
		o = &options[j];
		if (!(allowed & (1u << j)))
			return fail(err, errlen, "\"%s\" is not an option of %s%s",
				    word, mname,
				    mode == SPLICER_PERSIST_HASH && j == O_NAME ?
				    " (hash header|cookie|param NAME)" : "");
		if (seen & (1u << j))
			return fail(err, errlen, "\"%s\" given twice", word);
		seen |= 1u << j;
		if (o->flag) {
			p->flags |= o->flag;
			SET(p, SPLICER_PERSIST_A_FLAGS);
			continue;
		}
		if (i + 1 >= argc)
			return fail(err, errlen, "\"%s\" needs a value", word);
		if (option_value(o, argv[++i], p, err, errlen))
			return -1;
	}
	return 0;
}

int persist_args(const char *mode, int argc, char *const *argv,
		 struct persist *p, char *err, size_t errlen)
{
	int m;

	memset(p, 0, sizeof(*p));
	if (!mode)
		return fail(err, errlen, "missing MODE");
	if (!strcmp(mode, "key")) {
		const char *why;

		if (argc < 1)
			return fail(err, errlen, "missing HEX");
		if (argc > 1)
			return fail(err, errlen, "unexpected argument \"%s\"", argv[1]);
		why = parse_hex_key(argv[0], p->key);
		if (why)
			return fail(err, errlen, "key \"%s\": %s", argv[0], why);
		SET(p, SPLICER_PERSIST_A_KEY);
		return 0;
	}
	m = lookup(mode_names, ARRAY_SIZE(mode_names), mode);
	if (m < 0)
		return fail(err, errlen, "unknown persistence mode \"%s\"", mode);
	p->mode = (uint8_t)m;
	SET(p, SPLICER_PERSIST_A_MODE);

	if (m == SPLICER_PERSIST_HASH) {
		uint32_t allowed = mode_options[m];
		int k = lookup(hash_key_names, ARRAY_SIZE(hash_key_names),
			       argc ? argv[0] : NULL);

		if (!argc)
			return fail(err, errlen, "missing what to hash: source, "
				    "header NAME, cookie NAME or param NAME");
		if (k < 0)
			return fail(err, errlen, "cannot hash \"%s\": expected source, "
				    "header NAME, cookie NAME or param NAME", argv[0]);
		p->hash_key = (uint8_t)k;
		SET(p, SPLICER_PERSIST_A_HASH_KEY);
		argc--, argv++;
		if (k == SPLICER_HASH_SOURCE) {
			allowed |= O(MASK4) | O(MASK6);
		} else {
			const char *why;

			if (!argc)
				return fail(err, errlen, "hash %s needs a NAME",
					    hash_key_names[k]);
			why = parse_token_name(argv[0]);
			if (why)
				return fail(err, errlen, "%s \"%s\": %s",
					    hash_key_names[k], argv[0], why);
			snprintf(p->name, sizeof(p->name), "%s", argv[0]);
			SET(p, SPLICER_PERSIST_A_NAME);
			argc--, argv++;
		}
		return parse_options((uint8_t)m, allowed, argc, argv, p, err, errlen);
	}
	return parse_options((uint8_t)m, mode_options[m], argc, argv, p, err, errlen);
}

/* ---- PERSIST nest ----------------------------------------------------- */

int persist_put(struct nl_msg *msg, const struct persist *p)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_SVC_A_PERSIST);
	int err = 0;

	if (!nest)
		return -ENOMEM;
	if (HAS(p, SPLICER_PERSIST_A_MODE))
		err |= nla_put_u8(msg, SPLICER_PERSIST_A_MODE, p->mode);
	if (HAS(p, SPLICER_PERSIST_A_NAME))
		err |= nla_put_string(msg, SPLICER_PERSIST_A_NAME, p->name);
	if (HAS(p, SPLICER_PERSIST_A_FLAGS))
		err |= nla_put_u32(msg, SPLICER_PERSIST_A_FLAGS, p->flags);
	if (HAS(p, SPLICER_PERSIST_A_MAXIDLE))
		err |= nla_put_u32(msg, SPLICER_PERSIST_A_MAXIDLE, p->maxidle);
	if (HAS(p, SPLICER_PERSIST_A_MAXLIFE))
		err |= nla_put_u32(msg, SPLICER_PERSIST_A_MAXLIFE, p->maxlife);
	if (HAS(p, SPLICER_PERSIST_A_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_PERSIST_A_TIMEOUT, p->timeout);
	if (HAS(p, SPLICER_PERSIST_A_SIZE))
		err |= nla_put_u32(msg, SPLICER_PERSIST_A_SIZE, p->size);
	if (HAS(p, SPLICER_PERSIST_A_MASK4))
		err |= nla_put_u8(msg, SPLICER_PERSIST_A_MASK4, p->mask4);
	if (HAS(p, SPLICER_PERSIST_A_MASK6))
		err |= nla_put_u8(msg, SPLICER_PERSIST_A_MASK6, p->mask6);
	if (HAS(p, SPLICER_PERSIST_A_HASH_KEY))
		err |= nla_put_u8(msg, SPLICER_PERSIST_A_HASH_KEY, p->hash_key);
	if (HAS(p, SPLICER_PERSIST_A_KEY))
		err |= nla_put(msg, SPLICER_PERSIST_A_KEY, SPLICER_KEY_LEN, p->key);
	/* KEY_ID, KEYS and ENTRIES are read only: never sent. */
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

int persist_msg_put(struct nl_msg *msg, const char *service,
		    const struct persist *p)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_SERVICE);

	if (!nest || nla_put_string(msg, SPLICER_SVC_A_NAME, service) ||
	    persist_put(msg, p))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static struct nla_policy persist_policy[SPLICER_PERSIST_A_MAX + 1] = {
	[SPLICER_PERSIST_A_MODE] = { .type = NLA_U8 },
	[SPLICER_PERSIST_A_FLAGS] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_MAXIDLE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_MAXLIFE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_SIZE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_MASK4] = { .type = NLA_U8 },
	[SPLICER_PERSIST_A_MASK6] = { .type = NLA_U8 },
	[SPLICER_PERSIST_A_HASH_KEY] = { .type = NLA_U8 },
	[SPLICER_PERSIST_A_KEY_ID] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_KEYS] = { .type = NLA_U8 },
	[SPLICER_PERSIST_A_ENTRIES] = { .type = NLA_U32 },
};

int persist_parse(const struct nlattr *nest, struct persist *p)
{
	struct nlattr *tb[SPLICER_PERSIST_A_MAX + 1];
	uint32_t *u32[SPLICER_PERSIST_A_MAX + 1] = {
		[SPLICER_PERSIST_A_FLAGS] = &p->flags,
		[SPLICER_PERSIST_A_MAXIDLE] = &p->maxidle,
		[SPLICER_PERSIST_A_MAXLIFE] = &p->maxlife,
		[SPLICER_PERSIST_A_TIMEOUT] = &p->timeout,
		[SPLICER_PERSIST_A_SIZE] = &p->size,
		[SPLICER_PERSIST_A_KEY_ID] = &p->key_id,
		[SPLICER_PERSIST_A_ENTRIES] = &p->entries,
	};
	uint8_t *u8[SPLICER_PERSIST_A_MAX + 1] = {
		[SPLICER_PERSIST_A_MODE] = &p->mode,
		[SPLICER_PERSIST_A_MASK4] = &p->mask4,
		[SPLICER_PERSIST_A_MASK6] = &p->mask6,
		[SPLICER_PERSIST_A_HASH_KEY] = &p->hash_key,
		[SPLICER_PERSIST_A_KEYS] = &p->keys,
	};
	int i;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, SPLICER_PERSIST_A_MAX, (struct nlattr *)nest,
			     persist_policy))
		return -EBADMSG;
	for (i = 0; i <= SPLICER_PERSIST_A_MAX; i++) {
		if (!tb[i])
			continue;
		if (u32[i])
			*u32[i] = nla_get_u32(tb[i]);
		else if (u8[i])
			*u8[i] = nla_get_u8(tb[i]);
		else if (i == SPLICER_PERSIST_A_NAME)
			nla_strlcpy(p->name, tb[i], sizeof(p->name));
		else
			continue;	/* KEY is write only */
		SET(p, i);
	}
	return 0;
}

/* ---- words and JSON --------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static void add_secs(char *buf, size_t len, const struct persist *p, int attr,
		     const char *word, uint32_t v)
{
	char t[DURATION_STR_MAX];

	if (HAS(p, attr))
		add(buf, len, " %s %s", word, format_seconds(v, t, sizeof(t)));
}

static void add_u(char *buf, size_t len, const struct persist *p, int attr,
		  const char *word, uint32_t v)
{
	if (HAS(p, attr))
		add(buf, len, " %s %u", word, v);
}

bool persist_format(const struct persist *p, bool as_command, char *buf,
		    size_t len)
{
	const char *mode = persist_mode_name(p->mode);
	uint32_t flags = p->flags;
	size_t i;

	if (!len)
		return false;
	buf[0] = '\0';
	if (!mode) {
		snprintf(buf, len, "mode %u (unknown to this splicerctl)", p->mode);
		return false;
	}
	add(buf, len, "%s", mode);
	if (p->mode == SPLICER_PERSIST_HASH) {
		const char *k = hash_key_name(p->hash_key);

		if (!HAS(p, SPLICER_PERSIST_A_HASH_KEY) || !k) {
			snprintf(buf, len, "hash of key %u (unknown to this splicerctl)",
				 p->hash_key);
			return false;
		}
		add(buf, len, " %s", k);
		if (p->hash_key == SPLICER_HASH_SOURCE) {
			add_u(buf, len, p, SPLICER_PERSIST_A_MASK4, "mask4", p->mask4);
			add_u(buf, len, p, SPLICER_PERSIST_A_MASK6, "mask6", p->mask6);
		} else if (HAS(p, SPLICER_PERSIST_A_NAME) && *p->name) {
			add(buf, len, " %s", p->name);
		} else {
			snprintf(buf, len, "hash %s without a name", k);
			return false;
		}
	}
	if (p->mode == SPLICER_PERSIST_COOKIE || p->mode == SPLICER_PERSIST_PREFIX ||
	    p->mode == SPLICER_PERSIST_LEARN) {
		if (HAS(p, SPLICER_PERSIST_A_NAME) && *p->name)
			add(buf, len, " name %s", p->name);
	}
	if (as_command && HAS(p, SPLICER_PERSIST_A_NAME) && strchr(p->name, '#')) {
		/* A batch line ends at '#': it would set another name. */
		snprintf(buf, len, "the name \"%s\" has a '#', which starts a comment "
			 "in a batch file", p->name);
		return false;
	}
	if (p->mode == SPLICER_PERSIST_SOURCE) {
		add_u(buf, len, p, SPLICER_PERSIST_A_MASK4, "mask4", p->mask4);
		add_u(buf, len, p, SPLICER_PERSIST_A_MASK6, "mask6", p->mask6);
	}
	if (!HAS(p, SPLICER_PERSIST_A_FLAGS))
		flags = 0;
	if (as_command)
		flags &= mode_flags(p->mode);
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (options[i].flag & flags) {
			add(buf, len, " %s", options[i].word);
			flags &= ~options[i].flag;
		}
	}
	if (flags)
		add(buf, len, " flags 0x%x", flags);
	if (p->mode == SPLICER_PERSIST_COOKIE || p->mode == SPLICER_PERSIST_PREFIX) {
		add_secs(buf, len, p, SPLICER_PERSIST_A_MAXIDLE, "maxidle", p->maxidle);
		add_secs(buf, len, p, SPLICER_PERSIST_A_MAXLIFE, "maxlife", p->maxlife);
	}
	if (p->mode == SPLICER_PERSIST_LEARN || p->mode == SPLICER_PERSIST_SOURCE) {
		add_secs(buf, len, p, SPLICER_PERSIST_A_TIMEOUT, "timeout", p->timeout);
		add_u(buf, len, p, SPLICER_PERSIST_A_SIZE, "size", p->size);
	}
	if (!as_command) {
		if (HAS(p, SPLICER_PERSIST_A_KEY_ID))
			add(buf, len, " key-id %08x", p->key_id);
		add_u(buf, len, p, SPLICER_PERSIST_A_KEYS, "keys", p->keys);
		add_u(buf, len, p, SPLICER_PERSIST_A_ENTRIES, "entries", p->entries);
	}
	return true;
}

void persist_print_json(const char *key, const struct persist *p,
			bool as_command)
{
	static const struct {
		int attr;
		const char *key;
		size_t off, size;
		bool ro;
	} nums[] = {
#define N(a, k, f, ro) { SPLICER_PERSIST_A_##a, k, offsetof(struct persist, f), \
			 sizeof(((struct persist *)0)->f), ro }
		N(MAXIDLE, "maxidle", maxidle, false),
		N(MAXLIFE, "maxlife", maxlife, false),
		N(TIMEOUT, "timeout", timeout, false),
		N(SIZE, "size", size, false),
		N(MASK4, "mask4", mask4, false),
		N(MASK6, "mask6", mask6, false),
		N(KEYS, "keys", keys, true),
		N(ENTRIES, "entries", entries, true),
#undef N
	};
	const char *base = (const char *)p;
	char hex[16];
	size_t i;

	json_open_object(key);
	if (HAS(p, SPLICER_PERSIST_A_MODE)) {
		if (persist_mode_name(p->mode))
			json_string("mode", persist_mode_name(p->mode));
		else
			json_uint("mode", p->mode);
	}
	if (HAS(p, SPLICER_PERSIST_A_NAME))
		json_string("name", p->name);
	if (HAS(p, SPLICER_PERSIST_A_FLAGS)) {
		uint32_t left = p->flags;

		json_open_array("flags");
		for (i = 0; i < ARRAY_SIZE(options); i++) {
			if (options[i].flag & left) {
				json_string(NULL, options[i].word);
				left &= ~options[i].flag;
			}
		}
		for (i = 0; i < 32; i++)	/* bits unknown to this tool */
			if (left & (1u << i))
				json_uint(NULL, 1u << i);
		json_close_array();
	}
	if (HAS(p, SPLICER_PERSIST_A_HASH_KEY)) {
		if (hash_key_name(p->hash_key))
			json_string("hash_key", hash_key_name(p->hash_key));
		else
			json_uint("hash_key", p->hash_key);
	}
	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		const void *v = base + nums[i].off;

		if (!HAS(p, nums[i].attr) || (nums[i].ro && as_command))
			continue;
		json_uint(nums[i].key, nums[i].size == 1 ? *(const uint8_t *)v :
				       *(const uint32_t *)v);
	}
	if (HAS(p, SPLICER_PERSIST_A_KEY_ID) && !as_command) {
		snprintf(hex, sizeof(hex), "%08x", p->key_id);
		json_string("key_id", hex);
	}
	json_close_object();
}

/* ---- STICK nest ------------------------------------------------------- */

int stick_put(struct nl_msg *msg, const struct stick *e)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_STICK);
	int err = 0;

	if (!nest)
		return -ENOMEM;
	if (HAS(e, SPLICER_STICK_A_SERVICE))
		err |= nla_put_string(msg, SPLICER_STICK_A_SERVICE, e->service);
	if (HAS(e, SPLICER_STICK_A_KIND))
		err |= nla_put_u8(msg, SPLICER_STICK_A_KIND, e->kind);
	if (HAS(e, SPLICER_STICK_A_KEY))
		err |= nla_put(msg, SPLICER_STICK_A_KEY, (int)e->key_len, e->key);
	if (HAS(e, SPLICER_STICK_A_FAMILY))
		err |= nla_put_u16(msg, SPLICER_STICK_A_FAMILY, e->family);
	if (HAS(e, SPLICER_STICK_A_PREFIX))
		err |= nla_put_u8(msg, SPLICER_STICK_A_PREFIX, e->prefix);
	if (HAS(e, SPLICER_STICK_A_SERVER))
		err |= nla_put_string(msg, SPLICER_STICK_A_SERVER, e->server);
	if (HAS(e, SPLICER_STICK_A_IDLE))
		err |= nla_put_u32(msg, SPLICER_STICK_A_IDLE, e->idle);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy stick_policy[SPLICER_STICK_A_MAX + 1] = {
	[SPLICER_STICK_A_KIND] = { .type = NLA_U8 },
	[SPLICER_STICK_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_STICK_A_PREFIX] = { .type = NLA_U8 },
	[SPLICER_STICK_A_IDLE] = { .type = NLA_U32 },
};

int stick_parse(const struct nlattr *nest, struct stick *e)
{
	struct nlattr *tb[SPLICER_STICK_A_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(tb, SPLICER_STICK_A_MAX, (struct nlattr *)nest,
			     stick_policy))
		return -EBADMSG;
	if (tb[SPLICER_STICK_A_SERVICE]) {
		nla_strlcpy(e->service, tb[SPLICER_STICK_A_SERVICE], sizeof(e->service));
		SET(e, SPLICER_STICK_A_SERVICE);
	}
	if (tb[SPLICER_STICK_A_KIND]) {
		e->kind = nla_get_u8(tb[SPLICER_STICK_A_KIND]);
		SET(e, SPLICER_STICK_A_KIND);
	}
	if (tb[SPLICER_STICK_A_KEY]) {
		int n = nla_len(tb[SPLICER_STICK_A_KEY]);

		if (n < 1 || n > SPLICER_STICK_KEY_MAX)
			return -EBADMSG;
		memcpy(e->key, nla_data(tb[SPLICER_STICK_A_KEY]), (size_t)n);
		e->key_len = (uint32_t)n;
		SET(e, SPLICER_STICK_A_KEY);
	}
	if (tb[SPLICER_STICK_A_FAMILY]) {
		e->family = nla_get_u16(tb[SPLICER_STICK_A_FAMILY]);
		SET(e, SPLICER_STICK_A_FAMILY);
	}
	if (tb[SPLICER_STICK_A_PREFIX]) {
		e->prefix = nla_get_u8(tb[SPLICER_STICK_A_PREFIX]);
		SET(e, SPLICER_STICK_A_PREFIX);
	}
	if (tb[SPLICER_STICK_A_SERVER]) {
		nla_strlcpy(e->server, tb[SPLICER_STICK_A_SERVER], sizeof(e->server));
		SET(e, SPLICER_STICK_A_SERVER);
	}
	if (tb[SPLICER_STICK_A_IDLE]) {
		e->idle = nla_get_u32(tb[SPLICER_STICK_A_IDLE]);
		SET(e, SPLICER_STICK_A_IDLE);
	}
	return 0;
}

/* ---- text ------------------------------------------------------------- */

static bool session_byte_ok(uint8_t c)
{
	return c >= 0x21 && c <= 0x7e;
}

bool stick_key_format(const struct stick *e, char *buf, size_t len)
{
	bool session = e->kind == SPLICER_STICK_SESSION, ok = session;
	size_t i, n = 0;

	if (!len)
		return false;
	buf[0] = '\0';
	if (e->kind == SPLICER_STICK_SOURCE) {
		struct addrport ap = { .family = e->family };
		size_t alen = addr_len(e->family);
		char addr[ADDR_STR_MAX];

		if (alen && e->key_len == alen && e->prefix >= 1 &&
		    e->prefix <= alen * 8) {
			memcpy(ap.addr, e->key, alen);
			snprintf(buf, len, "%s/%u",
				 format_addr(&ap, addr, sizeof(addr)), e->prefix);
			return true;
		}
	}
	/* A session key as it is; anything else byte by byte. */
	for (i = 0; i < e->key_len && i < sizeof(e->key) && n + 5 <= len; i++) {
		uint8_t c = e->key[i];

		if (session && session_byte_ok(c)) {
			buf[n++] = (char)c;
		} else {
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", c);
			ok = false;
		}
	}
	buf[n] = '\0';
	return ok && e->key_len && i == e->key_len;
}

bool stick_line_format(const struct stick *e, char *buf, size_t len)
{
	char key[STICK_KEY_STR_MAX];
	size_t i;

	if (!len)
		return false;
	buf[0] = '\0';
	if (!HAS(e, SPLICER_STICK_A_KIND) || !HAS(e, SPLICER_STICK_A_KEY) ||
	    !HAS(e, SPLICER_STICK_A_SERVER) || !*e->server || !stick_kind_name(e->kind))
		return false;
	if (e->kind == SPLICER_STICK_SESSION) {
		/* Written as they are: every byte must be one import reads. */
		for (i = 0; i < e->key_len; i++)
			if (!session_byte_ok(e->key[i]))
				return false;
		memcpy(key, e->key, e->key_len);
		key[e->key_len] = '\0';
	} else if (!stick_key_format(e, key, sizeof(key))) {
		return false;
	}
	snprintf(buf, len, "%s %s %s %u\n", stick_kind_name(e->kind), key, e->server,
		 HAS(e, SPLICER_STICK_A_IDLE) ? e->idle : 0);
	return true;
}

static int parse_source(const char *s, struct stick *e, char *err, size_t errlen)
{
	const char *slash = strchr(s, '/');
	char addr[ADDR_STR_MAX];
	uint8_t bytes[16];
	uint32_t prefix, max;
	const char *why;
	int family;
	size_t i, alen;

	if (!slash)
		return fail(err, errlen, "source \"%s\": missing /PREFIX", s);
	if ((size_t)(slash - s) >= sizeof(addr) || slash == s)
		return fail(err, errlen, "source \"%s\": not an address", s);
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, bytes) != 1)
		return fail(err, errlen, "source \"%s\": not an %s address", s,
			    family == AF_INET ? "IPv4" : "IPv6");
	alen = addr_len((uint16_t)family);
	max = (uint32_t)alen * 8;
	why = parse_u32(slash + 1, 1, max, &prefix);
	if (why)
		return fail(err, errlen, "source \"%s\": prefix length %s (1..%u)", s,
			    !strcmp(why, "out of range") ? "out of range" : "not a number",
			    max);
	for (i = 0; i < alen; i++) {
		unsigned int bits = i * 8 >= prefix ? 0 :
				    prefix - i * 8 >= 8 ? 8 : prefix - (unsigned int)i * 8;
		uint8_t mask = (uint8_t)(0xff00 >> bits);

		if (bytes[i] & ~mask)
			return fail(err, errlen, "source \"%s\": bits set past the "
				    "prefix length", s);
	}
	e->family = (uint16_t)family;
	e->prefix = (uint8_t)prefix;
	memcpy(e->key, bytes, alen);
	e->key_len = (uint32_t)alen;
	SET(e, SPLICER_STICK_A_FAMILY);
	SET(e, SPLICER_STICK_A_PREFIX);
	return 0;
}

#define LINE_FORMAT "expected \"session KEY SERVER IDLE\" or " \
		    "\"source ADDR/PREFIX SERVER IDLE\""

int stick_line_parse(const char *line, struct stick *e, char *err,
		     size_t errlen)
{
	const char *w[5];
	size_t wl[5], n = 0;
	char server[SPLICER_NAME_MAX], idle[32];
	const char *p = line, *why;
	uint32_t secs;

	memset(e, 0, sizeof(*e));
	p += strspn(p, " \t");
	if (!*p || *p == '\n' || *p == '\r' || *p == '#')
		return 0;
	while (*p && *p != '\n' && *p != '\r') {
		size_t l = strcspn(p, " \t\r\n");

		if (n == ARRAY_SIZE(w))
			return fail(err, errlen, "too many words: " LINE_FORMAT);
		w[n] = p;
		wl[n++] = l;
		p += l;
		p += strspn(p, " \t");
	}
	if (*p == '\r' && p[1] != '\n' && p[1])
		return fail(err, errlen, "carriage return inside the line");
	if (n != 4)
		return fail(err, errlen, "%zu word%s: " LINE_FORMAT, n, n == 1 ? "" : "s");

	if (wl[0] == 7 && !strncmp(w[0], "session", 7))
		e->kind = SPLICER_STICK_SESSION;
	else if (wl[0] == 6 && !strncmp(w[0], "source", 6))
		e->kind = SPLICER_STICK_SOURCE;
	else
		return fail(err, errlen, "\"%.*s\": not session or source; " LINE_FORMAT,
			    (int)(wl[0] < 40 ? wl[0] : 40), w[0]);

	if (e->kind == SPLICER_STICK_SESSION) {
		size_t i;

		if (wl[1] > SPLICER_STICK_KEY_MAX)
			return fail(err, errlen, "session key of %zu bytes: at most %d",
				    wl[1], SPLICER_STICK_KEY_MAX);
		for (i = 0; i < wl[1]; i++)
			if (!session_byte_ok((uint8_t)w[1][i]))
				return fail(err, errlen, "session key: byte 0x%02x is not "
					    "printable ASCII (0x21-0x7e)",
					    (uint8_t)w[1][i]);
		memcpy(e->key, w[1], wl[1]);
		e->key_len = (uint32_t)wl[1];
	} else {
		char src[ADDR_STR_MAX + 8];

		if (wl[1] >= sizeof(src))
			return fail(err, errlen, "source \"%.*s...\": not ADDR/PREFIX",
				    40, w[1]);
		memcpy(src, w[1], wl[1]);
		src[wl[1]] = '\0';
		if (parse_source(src, e, err, errlen))
			return -1;
	}
	SET(e, SPLICER_STICK_A_KIND);
	SET(e, SPLICER_STICK_A_KEY);

	if (wl[2] >= sizeof(e->server))
		return fail(err, errlen, "server \"%.*s...\": name longer than 31 characters",
			    31, w[2]);
	memcpy(server, w[2], wl[2]);
	server[wl[2]] = '\0';
	why = parse_name(server);
	if (why)
		return fail(err, errlen, "server \"%s\": %s", server, why);
	memcpy(e->server, server, wl[2] + 1);	/* parse_name: at most 31 */
	SET(e, SPLICER_STICK_A_SERVER);

	if (wl[3] >= sizeof(idle))
		return fail(err, errlen, "idle \"%.*s...\": not a number of seconds",
			    20, w[3]);
	memcpy(idle, w[3], wl[3]);
	idle[wl[3]] = '\0';
	why = parse_duration_s(idle, &secs);
	if (why)
		return fail(err, errlen, "idle \"%s\": %s", idle, why);
	e->idle = secs;
	SET(e, SPLICER_STICK_A_IDLE);
	return 1;
}

int stick_read(FILE *f, const char *service, struct stick_list *list,
	       unsigned int *lineno, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int rc = 0;

	*lineno = 0;
	while ((got = getline(&line, &cap, f)) > 0) {
		struct stick e, *slot;
		int r;

		++*lineno;
		if (strlen(line) != (size_t)got) {
			rc = fail(err, errlen, "a NUL byte in the line");
			break;
		}
		r = stick_line_parse(line, &e, err, errlen);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (!r)
			continue;
		snprintf(e.service, sizeof(e.service), "%s", service);
		SET(&e, SPLICER_STICK_A_SERVICE);
		e.line = *lineno;
		slot = LIST_PUSH(list);
		if (!slot) {
			rc = fail(err, errlen, "%s", strerror(ENOMEM));
			break;
		}
		*slot = e;
	}
	if (!rc && ferror(f)) {
		++*lineno;
		rc = fail(err, errlen, "%s", strerror(errno));
	}
	free(line);
	return rc;
}

int stick_check(const struct persist *p, const char *service,
		const struct stick_list *list, size_t *bad, char *err,
		size_t errlen)
{
	size_t i;

	if (!HAS(p, SPLICER_PERSIST_A_MODE))
		return 0;
	for (i = 0; i < list->n; i++) {
		const struct stick *e = &list->v[i];
		bool v4 = e->family == AF_INET;
		int mask_attr = v4 ? SPLICER_PERSIST_A_MASK4 : SPLICER_PERSIST_A_MASK6;
		uint8_t mask = v4 ? p->mask4 : p->mask6;

		*bad = i;
		if (e->kind == SPLICER_STICK_SESSION && p->mode != SPLICER_PERSIST_LEARN)
			return fail(err, errlen, "a session entry, but service \"%s\" "
				    "does not persist by learn", service);
		if (e->kind == SPLICER_STICK_SOURCE && p->mode != SPLICER_PERSIST_SOURCE)
			return fail(err, errlen, "a source entry, but service \"%s\" "
				    "does not persist by source", service);
		if (e->kind == SPLICER_STICK_SOURCE && HAS(p, mask_attr) &&
		    e->prefix != mask)
			return fail(err, errlen, "prefix length %u, but service \"%s\" "
				    "keeps %s clients by /%u (mask%c)", e->prefix, service,
				    v4 ? "IPv4" : "IPv6", mask, v4 ? '4' : '6');
	}
	return 0;
}
