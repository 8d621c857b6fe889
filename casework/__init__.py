"""The parts every case machine is built from (petitions, voter recommendations, and the
machines to come): moves and the one guarded update (`transitions`), the event base
model (`events`), recording on a past date (`timekeeping`), reminder sweeps and
notices to a case's officials (`reminders`), search keys (`search`), rates (`rates`),
upload checks (`uploads`), form and page helpers (`forms`, `pages`), one move on many
rows of a list (`bulk`), spreadsheets (`exports`) and the DRF toolkit (`drf`).

It has no models of its own (an abstract one only), imports `agencies` and
`notifications` and never a case app (tests/test_layers.py checks).
"""
