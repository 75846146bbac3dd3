/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and constants http.c uses, for user space (the
 * fuzzers in selftests/fuzz/). The module and KUnit never include this.
 */
#ifndef _SPL_HTTP_SHIM_H
#define _SPL_HTTP_SHIM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#endif /* _SPL_HTTP_SHIM_H */
