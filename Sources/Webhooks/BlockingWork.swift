import Dispatch

/// Runs blocking work — synchronous SQLite reads and writes — on a Dispatch thread and awaits it, so that no
/// thread of Swift's cooperative pool waits on it.
///
/// GRDB's async reads take a connection from the reader pool and give it back only after the awaiting task
/// resumes, which needs a cooperative thread; synchronous reads on cooperative threads (the campaign runner,
/// the automation engine, the HTTP handlers) wait for a pooled connection. With all cooperative threads (two
/// on a two-core machine) waiting, the async reads can never resume to give their connections back: a
/// deadlock. Synchronous work here holds a connection only while it runs, and never needs the cooperative
/// pool to release it.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "petrel.blocking-work", attributes: .concurrent)

    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
