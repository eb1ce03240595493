import Testing

@testable import Webhooks

@Suite struct WebhookBackoffTests {
    private let backoff = WebhookBackoff(firstRetry: 30, maxRetry: 3600)

    @Test(arguments: [(1, 30.0), (2, 60.0), (3, 120.0), (7, 1920.0), (8, 3600.0), (12, 3600.0), (500, 3600.0)])
    func doublesFromFirstRetryUpToTheCap(attempts: Int, expected: Double) {
        #expect(backoff.delay(afterAttempts: attempts, unit: 0.5) == expected)
        #expect(abs(backoff.delay(afterAttempts: attempts, unit: 0) - expected * 0.9) < 1e-9)
        #expect(abs(backoff.delay(afterAttempts: attempts, unit: 1) - expected * 1.1) < 1e-9)
    }

    @Test func randomDelayStaysInTheJitterBand() {
        for _ in 0..<200 {
            let delay = backoff.delay(afterAttempts: 2)
            #expect(delay >= 54 && delay <= 66)
        }
    }
}
