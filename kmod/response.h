/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responses the load balancer generates itself.
 */
#ifndef _SPL_RESPONSE_H
#define _SPL_RESPONSE_H

#include <linux/types.h>

/*
 * spl_response - the complete response for @status.
 * Return: static bytes ("Connection: close", a short text body); an
 * unknown status is answered as 500.
 */
const char *spl_response(int status, u32 *len);

/*
 * spl_response_make - a response for any @status, with a Location when
 * @location is set (a redirect); "Connection: close". kmalloc'ed (the
 * caller frees it), or NULL.
 */
char *spl_response_make(int status, const char *location, u32 *len);

#endif /* _SPL_RESPONSE_H */
