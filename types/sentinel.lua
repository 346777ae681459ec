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
---@alias sentinel.MultiRegionConsistency "EVENTUAL"|"STRONG"
---@alias sentinel.SettingsReplication "ENABLED"|"DISABLED"

--- A key attribute: `"id"` is a string attribute; the table form names the type.
---@alias sentinel.KeySpec string|sentinel.Key

---@class sentinel.Key
---@field name string the attribute name
---@field type sentinel.AttributeType `S` (default), `N` or `B`

--- A GSI key: one attribute, or a list of up to four in order (a multi-attribute key:
--- `{ "tenant", "region" }`, `{ "a", { name = "b", type = "N" } }`). Only GSI keys may be lists.
---@alias sentinel.IndexKeySpec sentinel.KeySpec|sentinel.KeySpec[]

---@class sentinel.GSI
---@field name string index name: 3-255 of [A-Za-z0-9_.-]
---@field partition_key sentinel.IndexKeySpec 1 to 4 attributes
---@field sort_key? sentinel.IndexKeySpec 0 to 4 attributes
---@field projection? sentinel.ProjectionType default `ALL`
---@field non_key_attributes? string[] only with `INCLUDE`
---@field read_capacity? integer only with `PROVISIONED` billing
---@field write_capacity? integer only with `PROVISIONED` billing
---@field on_demand_throughput? sentinel.OnDemandThroughput only with `PAY_PER_REQUEST` billing
---@field warm_throughput? sentinel.WarmThroughput raise only; left out, DynamoDB's is kept

--- The most an on-demand table or index may serve, in request units per second (DynamoDB's
--- `OnDemandThroughput`); a side left out has no limit.
---@class sentinel.OnDemandThroughput
---@field max_read? integer at least 1
---@field max_write? integer at least 1

--- The request rate a table or index can serve at once, in units per second (DynamoDB's
--- `WarmThroughput`). It can be raised, never lowered; a side left out is left as it is.
---@class sentinel.WarmThroughput
---@field read_units? integer at least 1
---@field write_units? integer at least 1

---@class sentinel.LSI
---@field name string
---@field sort_key sentinel.KeySpec
---@field projection? sentinel.ProjectionType
---@field non_key_attributes? string[]

---@class sentinel.Encryption
---@field type sentinel.EncryptionType `DEFAULT` (AWS-owned key), `KMS` (AWS-managed key) or `CUSTOMER_KEY`
---@field kms_key? string with `CUSTOMER_KEY`: key ARN, alias ARN, `alias/name` or key id

--- A replica of a global table in another region: the same table, kept in step by DynamoDB, with
--- the few settings a replica may have of its own (left out: the table's).
---@class sentinel.Replica
---@field region string the replica's region, not the table's own
---@field account? string a 12-digit AWS account: a multi-account global table's replica, made in that account (no other field but `target`)
---@field target? string with `account`: the targets-file entry whose credentials act in that account
---@field kms_key? string the replica's key, in its region: required when the table uses `CUSTOMER_KEY`
---@field table_class? sentinel.TableClass
---@field read_capacity? integer the replica's read capacity, with `PROVISIONED` billing
---@field on_demand_throughput? { max_read: integer } the replica's on-demand read limit, with `PAY_PER_REQUEST` billing (writes are the table's)
---@field gsis? table<string, { read_capacity?: integer, on_demand_throughput?: { max_read: integer } }> per-index read overrides, by index name
---@field deletion_protection? boolean the replica's own, set in its region
---@field point_in_time_recovery? boolean the replica's own, set in its region
---@field tags? "propagate"|table<string, string> the table's tags, or the replica's own

--- Point-in-time recovery with its period: `{ recovery_period_days = 7 }`.
---@class sentinel.PointInTimeRecovery
---@field enabled? boolean default true
---@field recovery_period_days? integer 1-35 (DynamoDB's default is 35)

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
---@field on_demand_throughput? sentinel.OnDemandThroughput only with `PAY_PER_REQUEST`; left out removes live limits
---@field warm_throughput? sentinel.WarmThroughput raise only; left out, DynamoDB's is kept
---@field ttl? string the TTL attribute (a number of epoch seconds in items)
---@field encryption? sentinel.Encryption|sentinel.EncryptionType
---@field deletion_protection? boolean
---@field point_in_time_recovery? boolean|sentinel.PointInTimeRecovery
---@field stream? sentinel.StreamViewType|false
---@field table_class? sentinel.TableClass
---@field tags? table<string, string> at most 50; keys 1-128 characters, not starting with `aws:`
---@field resource_policy? string|table|false resource-based policy: JSON text or a table written as JSON; an object with a `Statement`, at most 20 KB; compared as JSON; `false`: the table must have none (a live one is deleted); left out: the policy is left alone and not needed to plan or apply
---@field replicas? sentinel.Replica[] a global table's replicas in other regions; `EVENTUAL` needs `stream = "NEW_AND_OLD_IMAGES"`
---@field multi_region_consistency? sentinel.MultiRegionConsistency `EVENTUAL` (default) or `STRONG`: two replicas, or one and a witness, in one region set; fixed once made
---@field witness? { region: string } a `STRONG` table's witness region
---@field settings_replication? sentinel.SettingsReplication with replicas in other accounts: `ENABLED` (the default there; `DISABLED` is refused)

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

--- The built-in Sentinel schemas, where `options` override any field (`name` defaults to Sentinel's),
--- and `from_table`, the schema of a live table.
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

--- The schema of a live table, read from AWS: a schema value to edit and return, whose plan against
--- that table is empty. KMS encryption reads back as `KMS` (DynamoDB reports a customer key's ARN
--- the same way); a table that does not exist is an error. In a run with targets, a replica in another
--- account names the one target of the targets file for its account.
---@param name string the table name
---@return sentinel.Schema
function sentinel.schema.from_table(name) end

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
---@field details? string[] with `create_table`: every setting of the new table, one `label  value` line each
---@field warning? string with `delete_index`: what deleting a live index costs its readers

---@class sentinel.BlockedChange
---@field field string `partition_key`, `sort_key`, `lsis`, or `not managed: PATH` for a part of the live table the model cannot describe (`not managed: Table.Replicas`)
---@field live string
---@field wanted string

---@class sentinel.PlanResult
---@field table string
---@field exists? boolean
---@field actions? sentinel.PlanAction[] in the order apply would carry them out
---@field blocked? sentinel.BlockedChange[] changes that need a new table: apply will not touch it (`actions` then lists what else differs)
---@field error? string why the table could not be planned

---@class sentinel.ApplyResult
---@field table string
---@field status "CREATED"|"UPDATED"|"EXISTS"|"FAILED"|"PENDING"
---@field arn? string
---@field steps sentinel.PlanAction[] the steps carried out
---@field not_done? sentinel.PlanAction[] with `FAILED`, interrupted or `PENDING`: the steps not carried out
---@field error? string with `FAILED`: what failed, naming the step
---@field pending? sentinel.PendingChange with `PENDING`: the change DynamoDB allows only later

---@class sentinel.PendingChange
---@field step sentinel.PlanAction the step that waits (a TTL change, allowed an hour after the last)
---@field not_before string when it can run (UTC, `2025-01-01T12:00:00Z`): apply again then to finish
---@field reason string the DynamoDB rule that makes it wait

---@class sentinel.TableStatus
---@field table string
---@field exists boolean
---@field status string `ACTIVE`, `CREATING`, `UPDATING`... or `NOT_FOUND`
---@field arn? string
---@field partition_key? sentinel.Key
---@field sort_key? sentinel.Key
---@field gsis? table[] name, status, backfilling, partition_key, sort_key (a key table, or a list of them for a multi-attribute key), projection, on_demand_throughput, warm_throughput
---@field not_managed? { path: string, value: string }[] what DescribeTable reported that the model cannot represent; a plan against the table is then blocked
---@field lsis? table[]
---@field billing_mode? sentinel.BillingMode
---@field read_capacity? integer
---@field write_capacity? integer
---@field on_demand_throughput? sentinel.OnDemandThroughput
---@field warm_throughput? sentinel.WarmThroughput
---@field ttl? { status: string, attribute?: string }
---@field point_in_time_recovery? boolean
---@field recovery_period_days? integer days back recovery can restore, while it is on
---@field deletion_protection? boolean
---@field encryption? { type: string, kms_key_arn?: string }
---@field stream? sentinel.StreamViewType
---@field table_class? sentinel.TableClass
---@field tags? table<string, string>
---@field resource_policy? table the resource-based policy, when the table has one
---@field resource_policy_readable? false present when GetResourcePolicy was refused (AccessDeniedException): the policy is unknown
---@field replicas? table[] a global table's replicas: region, account (one in another account), status, kms_key, table_class, read_capacity, on_demand_throughput, and as its region reports them deletion_protection, point_in_time_recovery, tags
---@field multi_region_consistency? sentinel.MultiRegionConsistency with replicas
---@field witness? { region: string, status: string } a strongly consistent table's witness
---@field item_count? integer
---@field size_bytes? integer

--- What apply would do to each table, without doing it. With `{ offline = true }` AWS is not
--- asked and every table is planned as new.
---@param schemas sentinel.Schema|sentinel.Schema[]
---@param options? { offline?: boolean }
---@return sentinel.PlanResult[]
function sentinel.plan(schemas, options) end

--- Converges every table to its schema, concurrently: creates what is missing, changes what can
--- change in place, waits until tables and indexes are ACTIVE. Never deletes a table; deletes a replica
--- (and its items in that region) only when its region is in `delete_replicas`.
--- Where AWS access only reads (`repl --read-only`, scripts run by `plan`) it is refused before
--- anything is planned or sent; `sentinel.plan` shows what it would do.
---@param schemas sentinel.Schema|sentinel.Schema[]
---@param options? { wait_timeout?: number, delete_replicas?: string[] } seconds to wait for a table or index (default 3600); the regions whose replicas may be deleted
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

--- A target of a targets file (`sentinel-tables apply SCRIPT --all-targets`): an account and region
--- the run acts on, with the script's arguments there. Fields the file left out are absent.
---@class sentinel.Target
---@field name string the target's name in the targets file
---@field profile? string the profile of the shared AWS files
---@field region? string
---@field account? string the 12-digit account the credentials must belong to
---@field endpoint_url? string
---@field sts_endpoint_url? string where STS requests go (the account check, assumed roles)
---@field args string[] the script's `arg[1..]` on this target
---@field protect boolean whether apply and delete ask again, by name, before changing it

--- The target this run is on (`--target NAME` or `--all-targets`), so a script can vary by target:
--- `if sentinel.target and sentinel.target.name == "prod" then s.deletion_protection = true end`.
--- Nil when the command was given no targets.
---@type sentinel.Target?
sentinel.target = nil

--- Every target of the current run, in the run's order; empty when the command was given none.
---@return sentinel.Target[]
function sentinel.targets() end

--- What `sentinel.migrate` did: items read from `from`, written to `to`, left out by the transform, and
--- what reading the copy back found (`verified`: the counts agree and every item checked is equal).
---@class sentinel.MigrationResult
---@field from string
---@field to string
---@field scanned integer
---@field copied integer
---@field left_out integer
---@field target_items integer
---@field checked integer
---@field verified boolean
---@field export_arn string? with `via`: DynamoDB's export
---@field import_arn string? with `via`: DynamoDB's import
---@field import_errors integer? with `via`: lines the import could not write

--- Moves a table's items to a new table with another key schema (what `plan` refuses in place): creates
--- `to` as apply does (it must not exist, unless `resume`), copies every item of `from` (only read) with a
--- parallel scan, each through `transform` when given (the new item, or nil to leave it out; an error
--- stops the migration naming the item's key; called again to verify, so it must give the same answer),
--- then reads the copy back: a sample of about 1000 items, every one with `verify = "all"`. An interrupted
--- migration goes on with `resume = true` (positions saved per segment in `checkpoint_dir`, default the
--- working directory). `via = "s3://BUCKET/PREFIX"` copies with DynamoDB's own engine instead (export to S3
--- then ImportTable; `from` needs point-in-time recovery; no `transform`, `resume` or local indexes).
--- Refused, like `sentinel.apply`, where AWS access only reads. `max_rcu` and `max_wcu` keep the copy's
--- reads of `from` and writes to `to` within that many capacity units per second (not with `via`).
---@param options { from: string, to: sentinel.Schema, transform?: fun(item: sentinel.Item): sentinel.Item?, segments?: integer, resume?: boolean, verify?: "sample"|"all", checkpoint_dir?: string, via?: string, max_rcu?: integer, max_wcu?: integer }
---@return sentinel.MigrationResult
function sentinel.migrate(options) end


-- Data: items in DynamoDB tables (docs/lua-api.md, "Data").

--- An exact DynamoDB number (`N`) that a Lua integer or float cannot hold: `tostring` gives its
--- decimal text; compares with numbers and other exact numbers (`==`, `<`, `<=`).
---@class sentinel.Number: userdata
local Number = {}
--- The nearest Lua float (which may round).
---@return number
function Number:float() end

--- Bytes stored as a DynamoDB `B`: `#b` is the length, `tostring(b)` base64.
---@class sentinel.Binary: userdata
local Binary = {}
--- The bytes as a Lua string.
---@return string
function Binary:bytes() end

--- A DynamoDB set (`SS`, `NS` or `BS`): `#s` is its size.
---@class sentinel.Set: userdata
local Set = {}
--- The elements as a list, in the order DynamoDB gave them.
---@return (string|number|sentinel.Number|sentinel.Binary)[]
function Set:values() end

--- DynamoDB's `NULL`.
---@class sentinel.Null: userdata

--- A value as `sentinel.db` reads and writes it: string (`S`), number (`N`), boolean (`BOOL`), table
--- (`L` for a list, `M` for a map with string keys; `{}` is an empty map) or one of the value types.
---@alias sentinel.Value string|number|boolean|table|sentinel.Number|sentinel.Binary|sentinel.Set|sentinel.Null

--- An item (or a key): attribute names to values.
---@alias sentinel.Item table<string, sentinel.Value>

--- A condition on one attribute: a value (equal to it), `{ op, value }` with op one of
--- `=`, `<`, `<=`, `>`, `>=` (and `<>` in filters), `{ between = { low, high } }`,
--- `{ begins_with = prefix }`, and in filters `{ exists = boolean }` and `{ contains = value }`.
---@alias sentinel.Condition sentinel.Value|table

---@class sentinel.QueryOptions
---@field index? string a global or local secondary index
---@field where? table<string, sentinel.Condition> the partition key (equality) and at most the sort key
---@field filter? table<string, sentinel.Condition> conditions on other attributes (applied after reading)
---@field limit? integer the most items to return (`query`, `scan`: default 100)
---@field page_size? integer items DynamoDB evaluates per request (default `limit`, or 1 MB pages with a `filter`)
---@field descending? boolean sort-key order from highest (with `where`)
---@field consistent? boolean strongly consistent reads

---@class sentinel.ScanOptions
---@field index? string
---@field filter? table<string, sentinel.Condition>
---@field limit? integer default 100
---@field page_size? integer
---@field consistent? boolean
---@field segments? integer a parallel scan in this many segments (at most 1000, 8 at once), merged
---@field max_rcu? integer read at most this many capacity units per second, shared by the segments

---@class sentinel.CountOptions
---@field index? string
---@field where? table<string, sentinel.Condition> a query when given, a scan otherwise
---@field filter? table<string, sentinel.Condition>
---@field consistent? boolean
---@field segments? integer for a scan (at most 1000, 8 at once)

--- An exact number from its decimal text (at most 38 significant digits, magnitude 1E-130 to
--- 9.9999999999999999999999999999999999999E+125, as DynamoDB stores) or a Lua number.
---@param value string|number
---@return sentinel.Number
function sentinel.number(value) end

--- A Lua string's bytes as a binary (`B`) value.
---@param bytes string
---@return sentinel.Binary
function sentinel.binary(bytes) end

--- A set: strings make an `SS`, numbers an `NS`, binaries a `BS`. Empty sets and duplicates are errors.
---@param elements (string|number|sentinel.Number|sentinel.Binary)[]
---@return sentinel.Set
function sentinel.set(elements) end

--- `t` as a list (`L`), even when empty.
---@param t table
---@return table
function sentinel.list(t) end

--- `t` as a map (`M`), even when empty; keys must be strings.
---@param t table<string, sentinel.Value>
---@return table
function sentinel.map(t) end

--- DynamoDB's `NULL`.
---@type sentinel.Null
sentinel.null = nil

sentinel.db = {}

--- Every table name in the account and region.
---@return string[]
function sentinel.db.tables() end

--- DescribeTable's `Table`, with AWS's field names (`TableName`, `KeySchema`, ...).
---@param name string
---@return table
function sentinel.db.describe(name) end

--- The item with this key, or nil.
---@param table string
---@param key sentinel.Item
---@param options? { consistent?: boolean }
---@return sentinel.Item|nil
function sentinel.db.get(table, key, options) end

---@class sentinel.WriteOptions
---@field condition? table<string, sentinel.Condition> write only if the item as it is meets these (the syntax of `filter`)
---@field exists? boolean `false`: only if no item has the key (create-only); `true`: only if one has

--- Writes the item, replacing any item with its key; returns true. When `options.condition` or
--- `options.exists` fails: false, "condition failed" and the item as it was (nil when there was none).
---@param table string
---@param item sentinel.Item
---@param options? sentinel.WriteOptions
---@return boolean ok
---@return string? failed
---@return sentinel.Item? was
function sentinel.db.put(table, item, options) end

--- Deletes the item with this key; returns it, or nil when there was none when the answering request
--- ran (after a lost answer was retried, nil although an earlier attempt deleted it).
--- With a condition that fails: false, "condition failed" and the item as it was.
---@param table string
---@param key sentinel.Item
---@param options? sentinel.WriteOptions
---@return sentinel.Item|false|nil
---@return string? failed
---@return sentinel.Item? was
function sentinel.db.delete(table, key, options) end

--- A document path: an attribute name, or names and list positions (from 1) into maps and lists.
---@alias sentinel.Path string|(string|integer)[]

--- What `db.update` changes besides `changes`. Each of `set`, `add`, `delete_from`, `append`, `prepend`
--- and `if_not_exists` is a table of names to values, or a list of `{ path, value }` pairs for nested
--- paths (`{ { { "profile", "limits", "max" }, 1 } }`); both may be mixed in one table.
---@class sentinel.UpdateOptions
---@field set? table values to set at nested paths (top-level ones go in `changes`)
---@field add? table numbers to add (atomic counters) or `sentinel.set`s to add to sets
---@field delete_from? table `sentinel.set`s whose elements are removed from sets
---@field append? table lists appended to lists (an attribute that is not there starts empty)
---@field prepend? table lists put before lists (an attribute that is not there starts empty)
---@field if_not_exists? table values set only where the attribute is not there
---@field remove? sentinel.Path[] attributes or nested paths to remove
---@field condition? table<string, sentinel.Condition> update only if the item as it is meets these
---@field exists? boolean `true`: only if the item is there (never create it); `false`: only if it is not

--- Sets each attribute of `changes`, applies `options` (counters, set and list edits, defaults, nested
--- paths, removals); returns the item after. With a condition that fails: false, "condition failed"
--- and the item as it was.
---@param table string
---@param key sentinel.Item
---@param changes? sentinel.Item
---@param options? sentinel.UpdateOptions
---@return sentinel.Item|false
---@return string? failed
---@return sentinel.Item? was
function sentinel.db.update(table, key, changes, options) end

--- Up to `limit` (100) items of one partition, following pages as needed.
---@param table string
---@param options sentinel.QueryOptions
---@return sentinel.Item[]
function sentinel.db.query(table, options) end

--- Up to `limit` (100) items of a table or index.
---@param table string
---@param options? sentinel.ScanOptions
---@return sentinel.Item[]
function sentinel.db.scan(table, options) end

--- An iterator over every matching item (a query with `where`, a scan without), fetching each page
--- only when the loop reaches it. Given a PartiQL statement instead of a table name
--- (`db.each("SELECT * FROM t WHERE kind = ?", { "x" }, { limit = n })`), every item the SELECT gives.
---@param table string a table name, or a PartiQL statement
---@param options? sentinel.QueryOptions|any[] for a statement: its parameters, then `{ limit, page_size, consistent }`
---@return fun(): sentinel.Item|nil
function sentinel.db.each(table, options) end

--- How many items match, counted over every page.
---@param table string
---@param options? sentinel.CountOptions
---@return integer
function sentinel.db.count(table, options) end

--- Writes every item (batches of 25, unprocessed items retried); returns how many distinct items were
--- written: items with the same key are written once, the last one winning. A failure names every item
--- not written by its position. `max_wcu` keeps the writes within that many capacity units per second.
---@param table string
---@param items sentinel.Item[]
---@param options? { max_wcu?: integer }
---@return integer
function sentinel.db.put_all(table, items, options) end

--- The items with these keys (batches of 100) in the order of the keys; keys without an item are left out.
--- Numbers in keys match by value (`2^3` finds `8`; `1` and `1.0` are one key).
---@param table string
---@param keys sentinel.Item[]
---@param options? { consistent?: boolean }
---@return sentinel.Item[]
function sentinel.db.get_all(table, keys, options) end

--- One action of `db.transact`: exactly one of `put`, `update`, `delete` and `check` names its table.
---@class sentinel.TransactAction
---@field put? string a put: writes `item`
---@field update? string an update: `key`, `changes` and the options of `db.update` (`add`, `remove`, ...)
---@field delete? string a delete of the item with `key`
---@field check? string a condition check on the item with `key`, writing nothing (`condition` or `exists` needed)
---@field item? sentinel.Item the item of a put
---@field key? sentinel.Item the key of an update, delete or check
---@field changes? sentinel.Item attributes an update sets
---@field condition? table<string, sentinel.Condition> the action happens only if the item as it is meets these
---@field exists? boolean `true`: only if the item is there; `false`: only if it is not
---@field set? table
---@field add? table
---@field delete_from? table
---@field append? table
---@field prepend? table
---@field if_not_exists? table
---@field remove? sentinel.Path[]

--- Why DynamoDB cancelled one action of a transaction: `code` is `None` for an action that was no cause,
--- `ConditionalCheckFailed` (with the item as it was), `TransactionConflict`, ... for one that was.
---@class sentinel.CancellationReason
---@field code string
---@field message? string
---@field item? sentinel.Item

--- Applies every action or none (TransactWriteItems, up to 100 actions, at most one per item). Returns true;
--- when DynamoDB cancels the transaction: false, "transaction cancelled" and one reason per action. Each call
--- carries an idempotency token, so a retry after a lost answer is not applied twice; give your own `token`
--- (1 to 36 characters) to make a call you repeat yourself idempotent for ten minutes.
---@param actions sentinel.TransactAction[]
---@param options? { token?: string }
---@return boolean ok
---@return string? failed
---@return sentinel.CancellationReason[]? reasons
function sentinel.db.transact(actions, options) end

--- The items with these keys read together as of one moment (TransactGetItems, up to 100), each given as
--- `{ table, key }` or `{ table = ..., key = ... }`: a list in the order asked, `n` = how many were asked
--- for, nil at the position of a key without an item.
---@param items ({ [1]: string, [2]: sentinel.Item }|{ table: string, key: sentinel.Item })[]
---@return { n: integer, [integer]: sentinel.Item? }
function sentinel.db.transact_get(items) end

--- A PartiQL statement (ExecuteStatement) with its `?` parameters in order: the items a SELECT gives, up
--- to `limit` (100), following NextToken; an empty list for INSERT, UPDATE and DELETE. `db.each` takes a
--- statement too, for every item of a large SELECT.
---@param statement string
---@param params? any[]
---@param options? { limit?: integer, page_size?: integer, consistent?: boolean }
---@return sentinel.Item[]
function sentinel.db.execute(statement, params, options) end

--- Writes every item of `table` to a new file at `path` (relative, inside the working directory, not
--- hidden; never replacing a file), one item per line: DynamoDB's export format (`{"Item": {...}}`) or,
--- with `format = "json"`, plain JSON lines; gzip when `path` ends in `.gz`. Returns how many.
---@param table string
---@param path string
---@param options? { format?: "dynamodb-json"|"json", segments?: integer, consistent?: boolean, max_rcu?: integer }
---@return integer
function sentinel.db.export(table, path, options) end

--- Writes the items of a file, a folder or a list of them (as `db.export` or DynamoDB's exports write
--- them) into `table`, every line checked before the first write. Returns how many this call wrote and
--- how many an interrupted earlier call had written (skipped with `resume = true`).
---@param table string
---@param paths string|string[]
---@param options? { format?: "dynamodb-json"|"json", resume?: boolean, max_wcu?: integer }
---@return integer written
---@return integer skipped
function sentinel.db.import(table, paths, options) end

--- One change of an item, as the table's DynamoDB stream recorded it (`db.watch`).
---@class sentinel.Change
---@field event "INSERT"|"MODIFY"|"REMOVE"
---@field time? integer when DynamoDB recorded it, in seconds since 1970 (`os.date("!%c", change.time)`)
---@field keys sentinel.Item the item's key attributes
---@field new? sentinel.Item the item after the change (views NEW_IMAGE, NEW_AND_OLD_IMAGES; not for REMOVE)
---@field old? sentinel.Item the item before it (views OLD_IMAGE, NEW_AND_OLD_IMAGES; not for INSERT)
---@field changed? string[] the attributes whose values differ between `old` and `new`, sorted
---@field sequence string the record's sequence number (decimal text, ordered within its shard)
---@field shard string the stream shard it came from
---@field ttl? boolean true when DynamoDB's TTL removed the item

---@class sentinel.WatchOptions
---@field since? "latest"|"trim_horizon" `latest` (default): changes from now on; `trim_horizon`: the last 24 hours too
---@field until_caught_up? boolean return once a round of reads finds no more changes
---@field page_size? integer records per GetRecords (1 to 1000)

--- Follows the table's DynamoDB stream, calling `handler` with each change in the order it was made
--- (each shard to its end before its children). Returns how many changes `handler` was given, when it
--- returns `false` or, with `until_caught_up`, when the stream has no more; an error in `handler`
--- stops the watch and is raised again. Waits between reads count against the script's time limit
--- and stop on Ctrl-C. A table without a stream is an error saying how to enable one.
---@param table string
---@param options? sentinel.WatchOptions
---@param handler fun(change: sentinel.Change): boolean?
---@return integer given
function sentinel.db.watch(table, options, handler) end

-- Questions about Sentinel's own tables: each is one Query over every page. `table` defaults to the
-- Sentinel table name; `since` and `until` bound `created_at` (inclusive).
sentinel.find = {}

--- Approval requests with status `pending` (index gsi-status), optionally of one profile.
---@param options? { table?: string, profile?: string, since?: string, until?: string }
---@return sentinel.Item[]
function sentinel.find.pending_requests(options) end

--- Every approval request of one requester (index gsi-requester).
---@param options { requester: string, table?: string, since?: string, until?: string }
---@return sentinel.Item[]
function sentinel.find.requests_by(options) end

--- Break-glass events with status `active` (index gsi-status), optionally of one invoker or profile.
---@param options? { table?: string, invoker?: string, profile?: string, since?: string, until?: string }
---@return sentinel.Item[]
function sentinel.find.active_breakglass(options) end

--- Sessions with status `active` (index gsi-status), optionally of one user.
---@param options? { table?: string, user?: string, since?: string, until?: string }
---@return sentinel.Item[]
function sentinel.find.active_sessions(options) end

--- Sessions on one server (index gsi-server-instance) with status `status` (default `active`).
---@param options { server_instance_id: string, status?: string, table?: string, since?: string, until?: string }
---@return sentinel.Item[]
function sentinel.find.sessions_on(options) end

return sentinel
