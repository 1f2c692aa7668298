"""Great Expectations suites for the warehouse (units, years) and the code that runs them."""
