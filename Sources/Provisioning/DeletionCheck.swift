/// What deleting a table would meet, found for every table before any is deleted, so a protected
/// table among several refuses the whole command instead of ending in a partial delete.
public enum DeletionCheck: Sendable, Equatable {
    /// The table exists and may be deleted.
    case deletable
    /// There is no such table: nothing to delete.
    case notFound
}

extension Provisioner {
    /// One check per name, in order: deletable, not found, or the reason it cannot be deleted
    /// (``ProvisioningError/deletionProtected(table:)``, or a failure to read it). Changes nothing.
    public func deletionChecks(_ names: [String]) async -> [Result<DeletionCheck, ProvisioningError>] {
        await concurrently(names) { name in
            do throws(ProvisioningError) {
                guard let described = try await describe(name) else { return .success(.notFound) }
                let table = try LiveTable(describeTable: described)
                if table.deletionProtection { throw .deletionProtected(table: name) }
                return .success(.deletable)
            } catch {
                return .failure(error)
            }
        }
    }
}
