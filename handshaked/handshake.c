// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: one handshake (see handshake.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "handshake.h"
#include "ktls.h"
#include "log.h"

const char *hs_errno_name(uint32_t status)
{
	switch (status) {
	case 0: return "OK";
	case EPROTO: return "EPROTO";
	case EACCES: return "EACCES";
	case ECONNRESET: return "ECONNRESET";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOENT: return "ENOENT";
	case ENOMEM: return "ENOMEM";
	case EBADF: return "EBADF";
	case ESHUTDOWN: return "ESHUTDOWN";
	case EPIPE: return "EPIPE";
	}
	return "error";
}

__attribute__((format(printf, 3, 4)))
static uint32_t fail(struct hs_conn *c, uint32_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return status;
}

uint32_t hs_conn_start(struct hs_conn *c, const struct hs_upcall *up)
{
	const struct hs_service *svc;
	struct stat st;
	int type = 0, fl;
	socklen_t len = sizeof(type);

	c->id = up->id;
	c->fd = up->fd;
	c->saved_flags = -1;
	snprintf(c->service, sizeof(c->service), "%s", up->service);

	if (fstat(c->fd, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(c->fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
		return fail(c, EBADF, "descriptor %d is not a stream socket", c->fd);
	fl = fcntl(c->fd, F_GETFL);
	if (fl < 0 || fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return fail(c, EBADF, "descriptor %d: %s", c->fd, strerror(errno));
	c->saved_flags = fl;

	c->set = hs_certset_current();
	svc = c->set ? hs_certset_service(c->set, c->service) : NULL;
	if (!svc)
		return fail(c, ENOENT, "no certificate is configured for this service");
	ERR_clear_error();
	c->ssl = hs_ssl_new(svc, &c->st);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
		char ssl[256];

		hs_ssl_errors(ssl, sizeof(ssl));
		return fail(c, ENOMEM, "cannot set up OpenSSL: %s", ssl);
	}
	return 0;
}

static bool ktls_module_loaded(void)
{
	return access("/proc/net/tls_stat", F_OK) == 0;
}

/* The handshake is complete: can the kernel take the connection over? */
static uint32_t verify(struct hs_conn *c)
{
	SSL *ssl = c->ssl;
	const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	SSL_SESSION *sess = SSL_get_session(ssl);
	bool tx, rx;
	int version = SSL_version(ssl);

	snprintf(c->version, sizeof(c->version), "%s", SSL_get_version(ssl));
	snprintf(c->cipher, sizeof(c->cipher), "%s", cipher ? SSL_CIPHER_get_name(cipher) : "");
	snprintf(c->sni, sizeof(c->sni), "%s", sni ? sni : "");
	c->resumed = SSL_session_reused(ssl);

	/* bytes OpenSSL read would be lost to the kernel */
	if (SSL_has_pending(ssl))
		return fail(c, EPROTO, "OpenSSL read %d byte(s) past the handshake "
			    "(they would be lost)", SSL_pending(ssl));

	tx = BIO_get_ktls_send(SSL_get_wbio(ssl));
	rx = BIO_get_ktls_recv(SSL_get_rbio(ssl));
	if (tx && !rx && version == TLS1_3_VERSION && cipher) {
		/* OpenSSL 3.0: TLS 1.3 receive is ours to install */
		int r;

		if (!c->st.rx_secret_len)
			return fail(c, EOPNOTSUPP, "kTLS receive: OpenSSL gave no client traffic secret");
		r = hs_ktls13_install_rx(c->fd, SSL_CIPHER_get_protocol_id(cipher),
					 c->st.rx_secret, c->st.rx_secret_len);
		hs_tls_state_wipe(&c->st);
		if (r)
			return fail(c, EOPNOTSUPP, "kTLS receive (%s): %s", c->cipher, strerror(-r));
		rx = true;
	}
	hs_tls_state_wipe(&c->st);
	if (tx && rx)
		return 0;

	if (!ktls_module_loaded())
		return fail(c, EOPNOTSUPP, "kTLS is not available: the kernel's tls module "
			    "is not loaded (modprobe tls)");
	if (sess && SSL_SESSION_get_max_fragment_length(sess) != TLSEXT_max_fragment_length_DISABLED)
		return fail(c, EOPNOTSUPP, "the client negotiated max_fragment_length, "
			    "which kTLS does not support");
	return fail(c, EOPNOTSUPP, "kTLS was not installed for %s (%s %s)",
		    !tx && !rx ? "either direction" : !tx ? "sending" : "receiving",
		    c->version, c->cipher);
}

int hs_conn_step(struct hs_conn *c)
{
	char ssl[200];
	unsigned long e;
	int r, err;

	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(c->ssl);
	if (r == 1)
		return (int)verify(c);
	err = SSL_get_error(c->ssl, r);
	switch (err) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		return (int)fail(c, ECONNRESET, "the client closed the connection");
	case SSL_ERROR_SYSCALL:
		r = errno;
		ERR_clear_error();
		if (!r || r == ECONNRESET || r == EPIPE)
			return (int)fail(c, ECONNRESET, "the client %s the connection",
					 r ? "reset" : "closed");
		return (int)fail(c, r > 0 && r < 4096 ? (uint32_t)r : EPROTO,
				 "socket: %s", strerror(r));
	case SSL_ERROR_SSL:
		e = ERR_peek_last_error();
		hs_ssl_errors(ssl, sizeof(ssl));
		if (c->st.alpn_refused)
			return (int)fail(c, EACCES, "the client's ALPN offers no http/1.1 "
					 "(h2 is not served)");
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return (int)fail(c, ECONNRESET, "the client closed the connection");
		return (int)fail(c, EPROTO, "%s", ssl[0] ? ssl : "TLS protocol error");
	}
	ERR_clear_error();
	return (int)fail(c, EPROTO, "OpenSSL error %d", err);
}

void hs_conn_result(const struct hs_conn *c, uint32_t status, struct hs_result *res)
{
	memset(res, 0, sizeof(*res));
	res->id = c->id;
	res->status = status;
	/* also after a failure, what is known: the kernel keeps it for its log */
	res->version = c->version[0] ? c->version : NULL;
	res->cipher = c->cipher[0] ? c->cipher : NULL;
	res->sni = c->sni[0] ? c->sni : NULL;
	res->resumed = c->resumed;
}

void hs_conn_end(struct hs_conn *c)
{
	/* for the log of a failure: the name asked for */
	if (c->ssl && !c->sni[0]) {
		const char *sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);

		snprintf(c->sni, sizeof(c->sni), "%s", sni ? sni : "");
	}
	/* no close_notify, no alert: the connection is the kernel's now */
	SSL_free(c->ssl);
	c->ssl = NULL;
	hs_tls_state_wipe(&c->st);
	hs_certset_put(c->set);
	c->set = NULL;
	if (c->fd >= 0) {
		/* the open file is shared with the kernel's connection */
		if (c->saved_flags >= 0)
			(void)fcntl(c->fd, F_SETFL, c->saved_flags);
		close(c->fd);
		c->fd = -1;
	}
}
