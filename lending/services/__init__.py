"""Business rules as plain functions. They flush; the caller (view, job, CLI) commits."""
