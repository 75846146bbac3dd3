-- SPDX-License-Identifier: GPL-2.0
-- wrk -s bench/wrk-report.lua: after the run, one line "WRK {json}" with the
-- totals bench/guest.sh records (wrk's own text report is for people).
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'WRK {"requests":%d,"bytes":%d,"duration_us":%d,' ..
		'"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,' ..
		'"lat_mean_us":%.1f,"lat_p50_us":%d,"lat_p99_us":%d}\n',
		summary.requests, summary.bytes, summary.duration,
		e.connect, e.read, e.write, e.status, e.timeout,
		latency.mean, latency:percentile(50), latency:percentile(99)))
end
