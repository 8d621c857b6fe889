"""The verdict figures' shape in the stats API (dashboards.serializers nests it)."""
