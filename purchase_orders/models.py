# Models arrive with issue 3 (sourcing and commissioning).
