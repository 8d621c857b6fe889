"""`make bench`: a province-sized dataset in PostgreSQL and the measurements over it.

Not an installed app: run as `python -m bench.generate` and `python -m bench.run`.
"""
