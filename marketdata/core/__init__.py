"""Core: settings, errors, column contracts, series ids, SOC bridging, number formats."""
