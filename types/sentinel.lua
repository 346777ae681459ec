---@meta sentinel
-- LuaLS annotations for the `sentinel` module of sentinel-tables. Point your editor at this folder
-- (see .luarc.json) to get completion and type checks. A test fails when a function or field that the
-- tool registers is missing here, so this file cannot drift from the code.

---@alias sentinel.AttributeType "S"|"N"|"B"
---@alias sentinel.ProjectionType "ALL"|"KEYS_ONLY"|"INCLUDE"
---@alias sentinel.BillingMode "PAY_PER_REQUEST"|"PROVISIONED"
---@alias sentinel.EncryptionType "DEFAULT"|"KMS"|"CUSTOMER_KEY"
---@alias sentinel.StreamViewType "KEYS_ONLY"|"NEW_IMAGE"|"OLD_IMAGE"|"NEW_AND_OLD_IMAGES"
---@alias sentinel.TableClass "STANDARD"|"STANDARD_INFREQUENT_ACCESS"

--- A key attribute: `"id"` is a string attribute; the table form names the type.
---@alias sentinel.KeySpec string|sentinel.Key

---@class sentinel.Key
---@field name string the attribute name
---@field type sentinel.AttributeType `S` (default), `N` or `B`

---@class sentinel.GSI
---@field name string index name: 3-255 of [A-Za-z0-9_.-]
---@field partition_key sentinel.KeySpec
---@field sort_key? sentinel.KeySpec
---@field projection? sentinel.ProjectionType default `ALL`
---@field non_key_attributes? string[] only with `INCLUDE`
---@field read_capacity? integer only with `PROVISIONED` billing
---@field write_capacity? integer only with `PROVISIONED` billing

---@class sentinel.LSI
---@field name string
---@field sort_key sentinel.KeySpec
---@field projection? sentinel.ProjectionType
---@field non_key_attributes? string[]

---@class sentinel.Encryption
---@field type sentinel.EncryptionType `DEFAULT` (AWS-owned key), `KMS` (AWS-managed key) or `CUSTOMER_KEY`
---@field kms_key? string with `CUSTOMER_KEY`: key ARN, alias ARN, `alias/name` or key id

--- The fields of a table schema, as given to the constructors and as found on a schema value.
---@class sentinel.TableOptions
---@field name? string table name: 3-255 of [A-Za-z0-9_.-]
---@field partition_key? sentinel.KeySpec
---@field sort_key? sentinel.KeySpec
---@field gsis? sentinel.GSI[] at most 20
---@field lsis? sentinel.LSI[] at most 5; need a table sort key
---@field billing_mode? sentinel.BillingMode
---@field read_capacity? integer
---@field write_capacity? integer
---@field ttl? string the TTL attribute (a number of epoch seconds in items)
---@field encryption? sentinel.Encryption|sentinel.EncryptionType
---@field deletion_protection? boolean
---@field point_in_time_recovery? boolean
---@field stream? sentinel.StreamViewType|false
---@field table_class? sentinel.TableClass
---@field tags? table<string, string> at most 50; keys 1-128 characters, not starting with `aws:`

--- A schema value: a plain table with these fields, that a script may edit, and these methods.
---@class sentinel.Schema: sentinel.TableOptions
---@field name string
---@field partition_key sentinel.Key
---@field gsis sentinel.GSI[]
---@field lsis sentinel.LSI[]
---@field tags table<string, string>
local Schema = {}

--- Adds a global secondary index; its name must not be taken.
---@param spec sentinel.GSI
---@return sentinel.Schema self
function Schema:add_gsi(spec) end

--- Removes the global secondary index called `name`; an unknown name is an error.
---@param name string
---@return sentinel.Schema self
function Schema:remove_gsi(name) end

--- A deep copy that can be edited without changing this schema.
---@return sentinel.Schema
function Schema:copy() end

--- `true`, or `nil` and every problem, one `path: message` per line.
---@return true|nil ok
---@return string? problems
function Schema:validate() end

---@class sentinel
sentinel = {}

--- The built-in Sentinel schemas; `options` override any field (`name` defaults to Sentinel's).
sentinel.schema = {}

--- Approval requests (`sentinel-requests`): gsi-requester, gsi-status, gsi-profile.
---@param options? sentinel.TableOptions
---@return sentinel.Schema
function sentinel.schema.approvals(options) end

--- Break-glass events (`sentinel-breakglass`): gsi-invoker, gsi-status, gsi-profile.
---@param options? sentinel.TableOptions
---@return sentinel.Schema
function sentinel.schema.breakglass(options) end

--- Server sessions (`sentinel-sessions`): gsi-user, gsi-status, gsi-profile, gsi-server-instance.
---@param options? sentinel.TableOptions
---@return sentinel.Schema
function sentinel.schema.sessions(options) end

--- Any table, from DynamoDB's defaults (on demand, AWS-owned key, standard class).
---@param options sentinel.TableOptions
---@return sentinel.Schema
function sentinel.table(options) end

--- `true`, or `nil` and a message naming every problem by field path.
---@param schema sentinel.Schema|sentinel.TableOptions
---@return true|nil ok
---@return string? problems
function sentinel.validate(schema) end

---@class sentinel.PlanAction
---@field action string `create_table`, `create_index`, `delete_index`, `update_settings`, `enable_ttl`...
---@field symbol "+"|"~"|"-"|"-/+"
---@field summary string what the step does, for people

---@class sentinel.BlockedChange
---@field field string `partition_key`, `sort_key` or `lsis`
---@field live string
---@field wanted string

---@class sentinel.PlanResult
---@field table string
---@field exists? boolean
---@field actions? sentinel.PlanAction[] in the order apply would carry them out
---@field blocked? sentinel.BlockedChange[] changes that need a new table: apply will not touch it
---@field error? string why the table could not be planned

---@class sentinel.ApplyResult
---@field table string
---@field status "CREATED"|"UPDATED"|"EXISTS"|"FAILED"
---@field arn? string
---@field steps sentinel.PlanAction[] the steps carried out
---@field error? string with `FAILED`: what failed, naming the step

---@class sentinel.TableStatus
---@field table string
---@field exists boolean
---@field status string `ACTIVE`, `CREATING`, `UPDATING`... or `NOT_FOUND`
---@field arn? string
---@field partition_key? sentinel.Key
---@field sort_key? sentinel.Key
---@field gsis? table[] name, status, backfilling, partition_key, sort_key, projection
---@field lsis? table[]
---@field billing_mode? sentinel.BillingMode
---@field read_capacity? integer
---@field write_capacity? integer
---@field ttl? { status: string, attribute?: string }
---@field point_in_time_recovery? boolean
---@field deletion_protection? boolean
---@field encryption? { type: string, kms_key_arn?: string }
---@field stream? sentinel.StreamViewType
---@field table_class? sentinel.TableClass
---@field tags? table<string, string>
---@field item_count? integer
---@field size_bytes? integer

--- What apply would do to each table, without doing it. With `{ offline = true }` AWS is not
--- asked and every table is planned as new.
---@param schemas sentinel.Schema|sentinel.Schema[]
---@param options? { offline?: boolean }
---@return sentinel.PlanResult[]
function sentinel.plan(schemas, options) end

--- Converges every table to its schema, concurrently: creates what is missing, changes what can
--- change in place, waits until tables and indexes are ACTIVE. Never deletes a table or its data.
---@param schemas sentinel.Schema|sentinel.Schema[]
---@param options? { wait_timeout?: number } seconds to wait for a table or index (default 3600)
---@return sentinel.ApplyResult[]
function sentinel.apply(schemas, options) end

--- The live state of a table (a name gives one result, a list of names a list).
---@param names string|string[]
---@return sentinel.TableStatus|sentinel.TableStatus[]
function sentinel.status(names) end

--- Waits until the table and every index are ACTIVE, then returns its state.
---@param name string
---@param options? { timeout?: number } seconds
---@return sentinel.TableStatus
function sentinel.wait(name, options) end

--- Deletes a table and all its items; refuses without `{ confirm = true }` and while deletion
--- protection is on. A table that does not exist counts as deleted.
---@param name string
---@param options { confirm: true }
---@return true
function sentinel.delete(name, options) end

return sentinel
