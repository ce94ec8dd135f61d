library(testthat)
library(vtrial)

test_check("vtrial")
