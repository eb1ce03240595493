import ServiceLifecycle
import Spool

/// Keeps the spool open while the server runs and flushes and closes it
/// after the SMTP listeners have shut down.
struct SpoolService: Service {
    let spool: Spool

    func run() async throws {
        try? await gracefulShutdown()
        await spool.close()
    }
}
