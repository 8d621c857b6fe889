"""Open311 GeoReport v2: other systems (a mobile app, a hotline's call centre, a
smart-city operations centre, a commune's kiosk) list what may be filed, file a
recommendation or reflection, and follow it, in JSON or XML, with no custom
integration.

The case itself is made by `petitions.services.petition_submit` (channel "forwarded
by a partner system", on its handling clock); this app keeps only what the standard
adds: partner systems and their keys, the jurisdictions, and one `PartnerRequest` row
per petition filed here (the partner, and the location as sent). A case app by the
layer rules: it imports petitions, casework, agencies, notifications and sealing, and
nothing but civic_portal imports it.
"""
