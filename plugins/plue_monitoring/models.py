"""Rate limit counters: one row per (bucket, fixed window), shared by every worker and host."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel


class RateLimitWindow(BaseModel):
    bucket = peewee.CharField(max_length=200)        # "auth-ip:1.2.3.4", "user:12", "ip:1.2.3.4"
    window_start = peewee.BigIntegerField()           # Unix seconds, a multiple of the window
    hits = peewee.IntegerField(default=0)

    class Meta:
        table_name = "monitoring_rate_limit"
        indexes = ((("bucket", "window_start"), True),)


MODELS = [RateLimitWindow]
