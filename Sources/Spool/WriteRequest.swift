import NIOCore

/// Work handed to the writer thread.
enum WriteRequest {
    /// `prefix` is the record up to the body (`SpoolRecord.messagePrefix`), built on the caller's thread.
    case message(QueueID, prefix: [UInt8], body: ByteBuffer, completion: @Sendable (Result<QueueID, Error>) -> Void)
    case recipientState(
        QueueID,
        index: Int,
        state: RecipientState,
        completion: @Sendable (Result<Void, Error>) -> Void
    )
    case removal(QueueID, completion: @Sendable (Result<Void, Error>) -> Void)
    case close(completion: (@Sendable () -> Void)?)

    /// Completes the request with `error` without writing anything.
    func fail(_ error: Error) {
        switch self {
        case .message(_, _, _, let completion):
            completion(.failure(error))
        case .recipientState(_, _, _, let completion), .removal(_, let completion):
            completion(.failure(error))
        case .close(let completion):
            completion?()
        }
    }
}
