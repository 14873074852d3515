"""French reference data shipped with the project (COG territory, postal codes, NAF rév. 2)."""
