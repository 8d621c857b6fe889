"""What the directory and the outbox share below every case app: encryption of personal
data at rest and keyed digests (`sealing.crypto`). Imports nothing of ours."""
