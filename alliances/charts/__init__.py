"""Chart functions, one module per chapter; every function returns an Altair chart."""
