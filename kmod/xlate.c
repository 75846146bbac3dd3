// SPDX-License-Identifier: GPL-2.0
/*
 * TCP header translation for the packet splice (see xlate.h).
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "xlate.h"

#define TCP_OFF_SEQ	4
#define TCP_OFF_ACK	8
#define TCP_OFF_DOFF	12
#define TCP_OFF_FLAGS	13
#define TCP_OFF_WIN	14
#define TCP_HDR_MIN	20
#define TCP_FLAG_ACK	0x10
#define TCP_FLAG_SYN	0x02

#define OPT_EOL		0
#define OPT_NOP		1
#define OPT_SACK	5
#define OPT_TS		8
#define OPT_TS_LEN	10

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void add32(u8 *p, u32 delta)
{
	put32(p, get32(p) + delta);
}

void spl_xlate_pair(const struct spl_xlate_leg *c, const struct spl_xlate_leg *s,
		    struct spl_xlate *c2s, struct spl_xlate *s2c)
{
	c2s->seq = s->snd_nxt - c->rcv_nxt;
	c2s->ack = s->rcv_nxt - c->snd_nxt;
	c2s->tsval = s->ts_now - c->ts_recent;
	c2s->tsecr = s->ts_recent - c->ts_now;
	c2s->wscale_in = c->snd_wscale;
	c2s->wscale_out = s->rcv_wscale;
	c2s->flags = (s->sack_ok ? SPL_XLATE_F_SACK : 0) | (s->ts_ok ? SPL_XLATE_F_TS : 0);

	s2c->seq = c->snd_nxt - s->rcv_nxt;
	s2c->ack = c->rcv_nxt - s->snd_nxt;
	s2c->tsval = c->ts_now - s->ts_recent;
	s2c->tsecr = c->ts_recent - s->ts_now;
	s2c->wscale_in = s->snd_wscale;
	s2c->wscale_out = c->rcv_wscale;
	s2c->flags = (c->sack_ok ? SPL_XLATE_F_SACK : 0) | (c->ts_ok ? SPL_XLATE_F_TS : 0);
}

u16 spl_xlate_window(u16 win, u8 wscale_in, u8 wscale_out)
{
	u32 bytes, w;

	/* RFC 7323: a scale above 14 is taken as 14 */
	if (wscale_in > 14)
		wscale_in = 14;
	if (wscale_out > 14)
		wscale_out = 14;
	bytes = (u32)win << wscale_in;
	w = bytes >> wscale_out;
	if (w > 0xffff)
		w = 0xffff;
	if (!w && bytes)
		w = 1;		/* never turn an open window into a closed one */
	return w;
}

static void nop_out(u8 *opt, u32 len)
{
	memset(opt, OPT_NOP, len);
}

int spl_xlate_tcp(u8 *th, u32 len, const struct spl_xlate *x)
{
	u32 doff, i, olen, k;
	u16 win;

	if (len < TCP_HDR_MIN)
		return -1;
	doff = (th[TCP_OFF_DOFF] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > len)
		return -1;
	if (th[TCP_OFF_FLAGS] & TCP_FLAG_SYN)
		return -1;		/* a spliced flow is past its handshake */

	add32(th + TCP_OFF_SEQ, x->seq);
	if (th[TCP_OFF_FLAGS] & TCP_FLAG_ACK)
		add32(th + TCP_OFF_ACK, x->ack);
	win = (u16)(th[TCP_OFF_WIN] << 8 | th[TCP_OFF_WIN + 1]);
	win = spl_xlate_window(win, x->wscale_in, x->wscale_out);
	th[TCP_OFF_WIN] = win >> 8;
	th[TCP_OFF_WIN + 1] = win;

	for (i = TCP_HDR_MIN; i < doff;) {
		u8 kind = th[i];

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff)
			return -1;
		olen = th[i + 1];
		if (olen < 2 || i + olen > doff)
			return -1;
		switch (kind) {
		case OPT_TS:
			if (olen != OPT_TS_LEN)
				return -1;
			if (!(x->flags & SPL_XLATE_F_TS)) {
				nop_out(th + i, olen);
				break;
			}
			add32(th + i + 2, x->tsval);
			/* TSecr is meaningful only on segments with ACK */
			if (th[TCP_OFF_FLAGS] & TCP_FLAG_ACK)
				add32(th + i + 6, x->tsecr);
			break;
		case OPT_SACK:
			if ((olen - 2) % 8)
				return -1;
			if (!(x->flags & SPL_XLATE_F_SACK)) {
				nop_out(th + i, olen);
				break;
			}
			for (k = i + 2; k < i + olen; k += 4)
				add32(th + k, x->ack);
			break;
		}
		i += olen;
	}
	return 0;
}
