"""Analysis: growth, pay, credentials, local prices and pathways, on tidy frames."""
