import DynamoDBModel

/// ``DynamoDBConfiguration/announce``, run once per client before its first request: concurrent first
/// requests wait for the one announcement; a failed announcement is tried again by the next request.
actor FirstRequestAnnouncement {
    private let announce: DynamoDBConfiguration.Announcement
    private var done = false
    private var running: Task<Result<Void, DynamoDBError>, Never>?

    init(_ announce: @escaping DynamoDBConfiguration.Announcement) {
        self.announce = announce
    }

    func once(for client: DynamoDBClient) async throws(DynamoDBError) {
        if done { return }
        let task: Task<Result<Void, DynamoDBError>, Never>
        if let running {
            task = running
        } else {
            let announce = announce
            task = Task { () -> Result<Void, DynamoDBError> in
                do throws(DynamoDBError) {
                    try await announce(client)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            running = task
        }
        // The caller's cancellation (a script's deadline, Ctrl-C) reaches the announcement's own work.
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        running = nil
        if case .success = result { done = true }
        try result.get()
    }
}
