"""webhooks: Gitea's hooks API and the durable, signed, retried delivery of webhook events."""
