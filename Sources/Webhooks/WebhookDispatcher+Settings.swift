import Foundation

extension WebhookDispatcher {
    /// The dispatcher's parameters, each defined once here with its default.
    public struct Settings: Sendable, Hashable {
        /// Seconds before the second attempt; each further delay doubles (±10 % jitter).
        public var firstRetry: TimeInterval = 30
        /// Upper bound of a single delay, before jitter.
        public var maxRetry: TimeInterval = 3600
        /// Attempts before a delivery is marked `failed`; with the defaults the last one happens about
        /// 23 hours after the first (30 s doubling, capped at an hour).
        public var maxAttempts: Int = 12
        /// Seconds one request may take from connecting to the end of the answer.
        public var timeout: TimeInterval = 10
        /// Requests in flight at once, across all webhooks.
        public var concurrency: Int = 4
        /// Longest idle sleep. `publish` and `retryNow` wake the worker at once; this bound only matters for
        /// rows written by another process (a command-line tool on the same database file).
        public var maxSleep: TimeInterval = 1

        public init(
            firstRetry: TimeInterval = 30, maxRetry: TimeInterval = 3600, maxAttempts: Int = 12,
            timeout: TimeInterval = 10, concurrency: Int = 4, maxSleep: TimeInterval = 1
        ) {
            self.firstRetry = firstRetry
            self.maxRetry = maxRetry
            self.maxAttempts = maxAttempts
            self.timeout = timeout
            self.concurrency = concurrency
            self.maxSleep = maxSleep
        }

        var backoff: WebhookBackoff {
            WebhookBackoff(firstRetry: firstRetry, maxRetry: maxRetry)
        }
    }
}
