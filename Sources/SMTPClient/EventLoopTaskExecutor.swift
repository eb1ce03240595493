import NIOCore

/// Runs a task's jobs on one event loop (a task executor, SE-0417). A
/// delivery task that prefers the event loop of its connection awaits the
/// connection's replies without a thread hop: the reply completes its promise
/// on the loop, and the task goes on right there, instead of waking a
/// thread of the cooperative pool and, for the next command, waking the loop
/// again. Default actors the task calls into run there too.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
