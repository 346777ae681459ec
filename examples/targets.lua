-- Where bootstrap.lua's tables live: one AWS account per environment, each guarded by its id.
--   sentinel-tables plan examples/bootstrap.lua --targets examples/targets.lua --all-targets --offline
-- With these profiles in ~/.aws/config, plan, apply, status and delete take --all-targets (or
-- --target dev, repeatable) the same way: apply converges every target at once and ends with one
-- summary; credentials of any other account stop their target before it reaches DynamoDB; prod asks
-- for its name before a change, even with --yes, unless --yes-protected is given.
-- A file named targets.lua in the working directory needs no --targets.
local region = "eu-west-1"

return {
  dev = { profile = "sentinel-dev", region = region, account = "111111111111", args = { "dev" } },
  staging = { profile = "sentinel-staging", region = region, account = "222222222222", args = { "staging" } },
  prod = {
    profile = "sentinel-prod", region = region, account = "333333333333", args = { "prod" },
    protect = true,
  },
  -- A second region of an account is one more target:
  -- ["prod-us"] = { profile = "sentinel-prod", region = "us-east-1", account = "333333333333",
  --                 args = { "prod" }, protect = true },
}
