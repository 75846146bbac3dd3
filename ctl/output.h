/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output helpers: a tiny streaming JSON writer (one document per run) and
 * the counter names shared by plain and JSON output.
 */
#ifndef SPLICERCTL_OUTPUT_H
#define SPLICERCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Write s as a JSON string literal (quotes included) to f. */
void json_escape(FILE *f, const char *s);

/*
 * Streaming writer on stdout. "key" is the member name inside an object
 * and NULL inside an array or at the top level. Commas are handled here.
 */
void json_open_object(const char *key);
void json_close_object(void);
void json_open_array(const char *key);
void json_close_array(void);
void json_string(const char *key, const char *val);
void json_uint(const char *key, uint64_t val);
void json_bool(const char *key, bool val);
/* Write to f instead of stdout (tests). */
void json_set_file(FILE *f);
/* Ends the document: newline after the last top-level value. */
void json_end(void);

/*
 * Name of counter 'type' of enum splicer_cnt, as used in JSON and in
 * plain output ("conns", "resp_503"); "cnt_N" for types this tool does
 * not know yet. Returns buf or a static string.
 */
const char *counter_name(unsigned int type, char *buf, size_t len);

#endif
