#!/usr/bin/env python3
"""Writes the Grafana dashboards in deploy/grafana/dashboards/ (dashboards as code: edit here, re-run, commit both).

Every metric a panel names must be in deploy/metrics/known-metrics.txt (deploy-tests checks it).
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
PROM = {"type": "prometheus", "uid": "prometheus"}
ES = {"type": "elasticsearch", "uid": "elasticsearch"}


class Board:
    def __init__(self, uid, title, description, variables=()):
        self.uid, self.title, self.description = uid, title, description
        self.variables = list(variables)
        self.panels, self.y, self.next_id = [], 0, 1

    def row(self, title):
        if getattr(self, "x", 0) > 0:
            self.x, self.y = 0, self.y + self.last_h
        self.panels.append({"id": self._id(), "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1
        self.x = 0

    def panel(self, title, targets, unit="short", kind="timeseries", w=12, h=8, description="", stack=False,
              thresholds=None, mappings=None):
        if getattr(self, "x", 0) + w > 24:
            self.x, self.y = 0, self.y + h
        defaults = {"unit": unit}
        if kind == "timeseries":
            defaults["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
                                  "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}
        if mappings:
            defaults["mappings"] = mappings
        p = {"id": self._id(), "type": kind, "title": title, "description": description, "datasource": PROM,
             "gridPos": {"h": h, "w": w, "x": getattr(self, "x", 0), "y": self.y},
             "fieldConfig": {"defaults": defaults, "overrides": []},
             "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max"]},
                         "tooltip": {"mode": "multi", "sort": "desc"}} if kind == "timeseries" else
                        {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                         "colorMode": "background", "graphMode": "none", "textMode": "auto"},
             "targets": [{"refId": chr(65 + i), "datasource": PROM, "expr": expr, "legendFormat": legend,
                          "range": True} for i, (expr, legend) in enumerate(targets)]}
        self.panels.append(p)
        self.last_h = h
        self.x = getattr(self, "x", 0) + w
        if self.x >= 24:
            self.x, self.y = 0, self.y + h

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def write(self):
        board = {
            "uid": self.uid, "title": self.title, "description": self.description,
            "tags": ["clinicwave"], "timezone": "browser", "schemaVersion": 39, "version": 1,
            "editable": False, "graphTooltip": 1, "refresh": "30s",
            "time": {"from": "now-1h", "to": "now"},
            "templating": {"list": self.variables},
            "annotations": {"list": []},
            "links": [{"title": "ClinicWave", "type": "dashboards", "tags": ["clinicwave"], "asDropdown": True}],
            "panels": self.panels,
        }
        (OUT / f"{self.uid}.json").write_text(json.dumps(board, indent=2) + "\n")


def job_var(metric, include_all=True, multi=True):
    return {"name": "job", "label": "service", "type": "query", "datasource": PROM,
            "query": {"query": f"label_values({metric}, job)", "refId": "job"},
            "definition": f"label_values({metric}, job)", "refresh": 2, "sort": 1,
            "includeAll": include_all, "multi": multi, "current": {"text": "All", "value": "$__all"}}


R = "[$__rate_interval]"

# --- per-service rate / errors / duration -----------------------------------------------------------------------
b = Board("clinicwave-services", "ClinicWave / Services (RED)",
          "Rate, errors and duration of every service's HTTP server requests.",
          [job_var("http_server_requests_seconds_count")])
b.row("Rate and errors")
b.panel("Requests per second", [(f'sum by (job) (rate(http_server_requests_seconds_count{{job=~"$job"}}{R}))', "{{job}}")],
        unit="reqps")
b.panel("5xx ratio", [(f'sum by (job) (rate(http_server_requests_seconds_count{{job=~"$job", status=~"5.."}}{R}))'
                       f' / sum by (job) (rate(http_server_requests_seconds_count{{job=~"$job"}}{R}))', "{{job}}")],
        unit="percentunit")
b.panel("4xx per second by status", [(f'sum by (job, status) (rate(http_server_requests_seconds_count{{job=~"$job", status=~"4.."}}{R}))',
                                      "{{job}} {{status}}")], unit="reqps")
b.panel("Busiest endpoints", [(f'topk(10, sum by (job, method, uri) (rate(http_server_requests_seconds_count{{job=~"$job"}}{R})))',
                               "{{job}} {{method}} {{uri}}")], unit="reqps")
b.row("Duration")
for q in ("0.5", "0.95", "0.99"):
    b.panel(f"p{int(float(q) * 100)} latency", [(
        f'histogram_quantile({q}, sum by (job, le) (rate(http_server_requests_seconds_bucket{{job=~"$job"}}{R})))', "{{job}}")],
        unit="s", w=8)
b.panel("Slowest endpoints (p95)", [(
    f'topk(10, histogram_quantile(0.95, sum by (job, uri, le) (rate(http_server_requests_seconds_bucket{{job=~"$job"}}{R}))))',
    "{{job}} {{uri}}")], unit="s", w=24)
b.write()

# --- JVM ----------------------------------------------------------------------------------------------------------
b = Board("clinicwave-jvm", "ClinicWave / JVM", "Memory, GC, threads, CPU and connection pools per service.",
          [job_var("jvm_memory_used_bytes")])
b.row("Memory and GC")
b.panel("Heap used", [(f'sum by (job) (jvm_memory_used_bytes{{job=~"$job", area="heap"}})', "{{job}} used"),
                      (f'sum by (job) (jvm_memory_max_bytes{{job=~"$job", area="heap"}})', "{{job}} max")], unit="bytes")
b.panel("Non-heap used", [(f'sum by (job) (jvm_memory_used_bytes{{job=~"$job", area="nonheap"}})', "{{job}}")], unit="bytes")
b.panel("GC pause time per second", [(f'sum by (job) (rate(jvm_gc_pause_seconds_sum{{job=~"$job"}}{R}))', "{{job}}")],
        unit="s")
b.panel("GC pauses per second", [(f'sum by (job, action) (rate(jvm_gc_pause_seconds_count{{job=~"$job"}}{R}))',
                                  "{{job}} {{action}}")], unit="ops")
b.row("CPU, threads, pools")
b.panel("Process CPU", [(f'process_cpu_usage{{job=~"$job"}}', "{{job}}")], unit="percentunit")
b.panel("Live threads", [(f'jvm_threads_live_threads{{job=~"$job"}}', "{{job}}")])
b.panel("DB pool: active / pending", [(f'hikaricp_connections_active{{job=~"$job"}}', "{{job}} active"),
                                      (f'hikaricp_connections_pending{{job=~"$job"}}', "{{job}} pending")])
b.panel("Uptime", [(f'process_uptime_seconds{{job=~"$job"}}', "{{job}}")], unit="s", kind="stat")
b.write()

# --- gateway --------------------------------------------------------------------------------------------------------
b = Board("clinicwave-gateway", "ClinicWave / Gateway", "Routes, token validation cache and revocations at the edge.")
b.row("Routes")
b.panel("Requests per route", [(f'sum by (route) (rate(gateway_requests_seconds_count{R}))', "{{route}}")],
        unit="reqps")
b.panel("Route 5xx per second", [(f'sum by (route, status) (rate(gateway_requests_seconds_count{{status=~"5.."}}{R}))',
                                  "{{route}} {{status}}")], unit="reqps")
b.panel("Edge responses by status", [(f'sum by (status) (rate(gateway_requests_seconds_count{R}))', "{{status}}")],
        unit="reqps", stack=True, w=24)
b.row("Route latency")
# Quantiles from the timer's histogram buckets (management.metrics.distribution.percentiles-histogram.gateway.requests
# in deploy/config-repo/application.yml), aggregated over the gateway's instances; a mean would hide the tail.
for q in ("0.5", "0.95", "0.99"):
    b.panel(f"p{int(float(q) * 100)} route latency", [(
        f'histogram_quantile({q}, sum by (route, le) (rate(gateway_requests_seconds_bucket{R})))', "{{route}}")],
        unit="s", w=8)
b.row("Token validation cache")
b.panel("Token cache hit rate", [(f'sum(rate(gateway_token_cache_total{{result="hit"}}{R})) / sum(rate(gateway_token_cache_total{R}))',
                                  "hit rate")], unit="percentunit",
        description="Share of bearer tokens answered from the validation cache (no signature check).")
b.panel("Token cache lookups", [(f'sum by (result) (rate(gateway_token_cache_total{R}))', "{{result}}")], unit="ops",
        stack=True)
b.panel("API-key exchange cache hit rate", [(f'sum(rate(gateway_apikey_cache_total{{result="hit"}}{R})) / sum(rate(gateway_apikey_cache_total{R}))',
                                            "hit rate")], unit="percentunit",
        description="API keys answered from the cached phantom token, without a call to auth-service.")
b.panel("Requests refused by rate limits", [(f'sum by (instance) (rate(gateway_ratelimit_refused_total{R}))', "{{instance}}")],
        unit="reqps")
b.panel("Requests denied as revoked", [("gateway_revocations_denied", "{{instance}}")], kind="stat", w=8)
b.panel("Gateway instances up", [('count(up{job="gateway"} == 1)', "up")], kind="stat", w=8,
        thresholds=[{"color": "red", "value": None}, {"color": "green", "value": 2}])
b.panel("Gateway heap", [('sum by (instance) (jvm_memory_used_bytes{job="gateway", area="heap"})', "{{instance}}")],
        unit="bytes", kind="stat", w=8)
b.write()

# --- Resilience4j ---------------------------------------------------------------------------------------------------
state_map = [{"type": "value", "options": {"0": {"text": "closed", "color": "green"}, "1": {"text": "OPEN", "color": "red"}}}]
b = Board("clinicwave-resilience", "ClinicWave / Circuit breakers", "Resilience4j circuit breakers of every service.")
b.row("State")
b.panel("Open circuit breakers", [('max by (job, name) (resilience4j_circuitbreaker_state{state=~"open|forced_open"})',
                                   "{{job}} {{name}}")], kind="stat", w=24, mappings=state_map,
        thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}])
b.panel("Half-open", [('max by (job, name) (resilience4j_circuitbreaker_state{state="half_open"})', "{{job}} {{name}}")])
b.panel("Failure rate", [("max by (job, name) (resilience4j_circuitbreaker_failure_rate)", "{{job}} {{name}}")],
        unit="percent")
b.row("Calls")
b.panel("Calls by outcome", [(f'sum by (job, name, kind) (rate(resilience4j_circuitbreaker_calls_seconds_count{R}))',
                              "{{job}} {{name}} {{kind}}")], unit="ops")
b.panel("Calls rejected (not permitted)", [(f'sum by (job, name) (rate(resilience4j_circuitbreaker_not_permitted_calls_total{R}))',
                                            "{{job}} {{name}}")], unit="ops")
b.panel("Slow call rate", [("max by (job, name) (resilience4j_circuitbreaker_slow_call_rate)", "{{job}} {{name}}")],
        unit="percent")
b.panel("Buffered calls", [("sum by (job, name) (resilience4j_circuitbreaker_buffered_calls)", "{{job}} {{name}}")])
b.write()

# --- Kafka ----------------------------------------------------------------------------------------------------------
b = Board("clinicwave-kafka", "ClinicWave / Events (Kafka)", "Consumer lag, consumption and the transactional outbox.")
b.row("Consumers")
b.panel("Max records lag per consumer", [("max by (job, client_id) (kafka_consumer_fetch_manager_records_lag_max)",
                                          "{{job}} {{client_id}}")],
        thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1000}])
b.panel("Records consumed per second", [(f'sum by (job) (rate(kafka_consumer_fetch_manager_records_consumed_total{R}))', "{{job}}")],
        unit="ops")
b.row("Outbox")
b.panel("Events published from the outbox", [(f'sum by (job) (rate(clinicwave_outbox_published_total{R}))', "{{job}}")],
        unit="ops")
b.panel("Outbox publish failures", [(f'sum by (job) (increase(clinicwave_outbox_failures_total{R}))', "{{job}}")])
b.panel("Events waiting in the outbox", [("sum by (job) (clinicwave_outbox_pending)", "{{job}}")], w=24)
b.write()

# --- business -------------------------------------------------------------------------------------------------------
b = Board("clinicwave-business", "ClinicWave / Logins, connections, syncs",
          "Logins and lockouts (auth-service), connections by status and refreshes, claims sync durations.")
b.row("Logins")
b.panel("Logins by outcome", [(f'sum by (outcome) (rate(auth_logins_total{R}))', "{{outcome}}")], unit="ops", stack=True)
b.panel("Login failure ratio", [(f'sum(rate(auth_logins_total{{outcome=~"failed|locked"}}{R})) / sum(rate(auth_logins_total{R}))',
                                 "failures")], unit="percentunit", w=6)
b.panel("Lockouts (1h)", [("sum(increase(auth_lockouts_total[1h]))", "lockouts")], kind="stat", w=6)
b.row("Connections")
b.panel("Connections by status", [("sum by (status) (connections_status)", "{{status}}")], stack=True)
b.panel("Token refreshes by outcome", [(f'sum by (outcome) (rate(connections_refresh_total{R}))', "{{outcome}}")],
        unit="ops")
b.row("Claims sync")
b.panel("Sync duration p50 / p95", [
    (f'histogram_quantile(0.5, sum by (le) (rate(claims_sync_duration_seconds_bucket{R})))', "p50"),
    (f'histogram_quantile(0.95, sum by (le) (rate(claims_sync_duration_seconds_bucket{R})))', "p95")], unit="s")
b.panel("Syncs per minute by status", [(f'sum by (status) (rate(claims_sync_duration_seconds_count{R})) * 60', "{{status}}")],
        stack=True)
b.write()
