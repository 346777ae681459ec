import JSON

extension OperatedSetting {
    /// `resource_policy`: the table's resource-based policy, read with GetResourcePolicy and changed with
    /// Put/DeleteResourcePolicy, by the table's ARN (see ``ResourcePolicy`` and
    /// ``ResourcePolicySetting``). A schema without the field leaves the live policy alone; `false` asks
    /// for none. Stored as the policy's text (DynamoDB stores and measures what it gets), or `false`.
    ///
    /// - GetResourcePolicy on a table without a policy answers PolicyNotFoundException: none.
    /// - A caller may converge a table without being allowed to read its policy (AccessDeniedException):
    ///   the policy is then unknown, read only when the schema gives one, and an error naming the
    ///   permission only then.
    /// - "If you specify an ExpectedRevisionId that doesn't match the current policy's RevisionId, the
    ///   PolicyNotFoundException will be returned." And "PutResourcePolicy is an asynchronous operation.
    ///   If you issue a GetResourcePolicy request immediately after a PutResourcePolicy request, DynamoDB
    ///   might return your previous policy": apply waits until the read answers what it wrote, and takes
    ///   a revision that no longer matches as "read again and plan again", not as a failure.
    /// - Put last in a plan: a policy that restricts the caller cannot block the other steps.
    public static let resourcePolicy = OperatedSetting(
        field: "resource_policy", title: "resource policy", statusLabel: "policy", listedAfter: "tags",
        scriptForm: .documentOrFalse, absentValue: nil, noneValue: .bool(false),
        read: Read(
            operation: "GetResourcePolicy", address: .tableARN, noneCode: "PolicyNotFoundException",
            mayBeRefused: true),
        actions: [
            "dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy",
        ],
        permission: .ownStatement(sid: "SentinelTableResourcePolicies"), placement: .last, readiness: nil,
        waitsUntilRead: true, staleRevisionCode: "PolicyNotFoundException",
        createTableMember: "ResourcePolicy",
        problems: { value in
            guard case .string(let text) = value else { return [] }
            return policyProblems(text)
        },
        // The policy as JSON (a Lua table in `--format lua`); text that is not JSON stays a string.
        documentForm: { value in
            guard case .string(let text) = value else { return value }
            return ResourcePolicy.document(text) ?? value
        },
        liveForm: { answer in
            guard let text = answer?["Policy"]?.stringValue else { return OperatedSettingState(value: false) }
            return OperatedSettingState(value: .string(text), revision: answer?["RevisionId"]?.stringValue)
        },
        // Compared as JSON: member order and whitespace make no difference.
        satisfies: { wanted, live in
            switch (wanted, live) {
            case (.string(let wanted), .string(let live)): ResourcePolicy.same(wanted, live)
            case (.string, _), (_, .string): false
            default: true
            }
        },
        writeRequests: { change, _, arn in
            var request: JSONObject = ["ResourceArn": .string(arn)]
            // The schema's text (compact JSON from a script): DynamoDB stores and measures what it gets.
            if case .string(let text) = change.wanted { request["Policy"] = .string(text) }
            // The revision read, so that a policy changed meanwhile is not overwritten.
            let hasPolicy = change.live.value.stringValue != nil
            request["ExpectedRevisionId"] = hasPolicy ? change.live.revision.map(JSONValue.string) : nil
            return [
                (
                    change.wanted.stringValue == nil ? "DeleteResourcePolicy" : "PutResourcePolicy",
                    .object(request)
                )
            ]
        },
        stepWords: { change in
            guard case .string(let text) = change.wanted else {
                return ("delete resource policy", "-", "delete_resource_policy")
            }
            let replacing = change.live.value.stringValue != nil
            return (
                (replacing ? "replace" : "attach") + " resource policy (\(ResourcePolicy.summary(text)))",
                replacing ? "~" : "+", "put_resource_policy"
            )
        },
        // A table without a policy leaves the field out: the schema then leaves a policy added later
        // alone rather than deleting it.
        adoptedForm: { $0.stringValue.map(JSONValue.string) },
        statusMembers: { live in
            // Left out when read and absent: a missing `resource_policy` then means none, not unknown.
            if live.readError != nil { return [("resource_policy_readable", false)] }
            guard case .string(let text) = live.value else { return [] }
            return [("resource_policy", ResourcePolicy.document(text) ?? .string(text))]
        },
        statusWords: { live in
            if live.readError != nil {
                return "resource policy: not readable (needs dynamodb:GetResourcePolicy)"
            }
            return live.value.stringValue.map { "resource policy: \(ResourcePolicy.summary($0))" }
        },
        creationWords: { _ in nil })

    /// A resource policy: JSON text of at most 20 KB (whitespace counts, as DynamoDB counts it), an
    /// object with a `Statement`. What IAM thinks of the statements is DynamoDB's to say at apply.
    private static func policyProblems(_ text: String) -> [(path: String, message: String)] {
        let path = "resource_policy"
        var problems: [(path: String, message: String)] = []
        let size = text.utf8.count
        if size > ResourcePolicy.maxBytes {
            problems.append(
                (path, "policy is \(size) bytes; DynamoDB allows at most \(ResourcePolicy.maxBytes) (20 KB)"))
        }
        guard let document = ResourcePolicy.document(text) else {
            return problems + [(path, "policy is not valid JSON")]
        }
        guard let object = document.objectValue else {
            return problems + [(path, "policy must be a JSON object with a Statement")]
        }
        // A statement says who may do what: one without an Effect (an empty `{}`) is refused by IAM.
        func checkEffect(_ statement: JSONObject, at statementPath: String) {
            if statement["Effect"] == nil {
                problems.append((statementPath, "a statement needs an Effect (Allow or Deny)"))
            }
        }
        switch object["Statement"] {
        case nil:
            problems.append((path + ".Statement", "a policy needs a Statement"))
        case .object(let statement)?:
            checkEffect(statement, at: path + ".Statement")
        case .array(let statements)? where !statements.isEmpty:
            for (offset, statement) in statements.enumerated() {
                let statementPath = path + ".Statement[\(offset + 1)]"
                guard let object = statement.objectValue else {
                    problems.append((statementPath, "each statement must be a JSON object"))
                    continue
                }
                checkEffect(object, at: statementPath)
            }
        default:
            problems.append(
                (path + ".Statement", "Statement must be a statement object or a non-empty list of them"))
        }
        return problems
    }
}

extension TableSchema {
    /// The resource-based policy (`resource_policy`): left alone (``ResourcePolicySetting/unmanaged``,
    /// the default), none, or a policy (``OperatedSetting/resourcePolicy``).
    public var resourcePolicy: ResourcePolicySetting {
        get {
            switch operatedSettings[OperatedSetting.resourcePolicy.field] {
            case nil: .unmanaged
            case .string(let text)?: .policy(text)
            default: .noPolicy
            }
        }
        set {
            let field = OperatedSetting.resourcePolicy.field
            switch newValue {
            case .unmanaged: operatedSettings[field] = nil
            case .noPolicy: operatedSettings[field] = false
            case .policy(let text): operatedSettings[field] = .string(text)
            }
        }
    }
}
