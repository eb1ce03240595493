import Campaigns
import Foundation
import Hummingbird
import Storage
import Suppression

/// `POST /api/v1/imports?list=NAME`: a CSV body (RFC 4180, header row with `email` and any of `first_name`,
/// `last_name`, `status`, `tags`, custom columns), streamed into the importer as it arrives: upserts by
/// normalised email, keeps the good rows, reports each bad one by line number.
struct ImportsController {
    let database: PetrelDatabase
    let normalization: AddressNormalization

    struct Report: Encodable {
        var rows: Int
        var inserted: Int
        var updated: Int
        var duplicates: Int
        var errors: [RowError]
        var seconds: Double

        struct RowError: Encodable {
            var line: Int
            var reason: String
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.post("imports") { request, _ in
            let started = Date()
            let list = request.uri.queryParameters["list"].map(String.init)
            if let list, list.isEmpty { throw APIError.invalid("list", "list: must not be empty") }
            let importer = try ContactImporter(database: database, normalization: normalization, list: list)
            for try await buffer in request.body {
                try importer.feed(buffer.readableBytesView)
            }
            let summary = try importer.finish()
            return JSONBody.response(
                Report(
                    rows: summary.rows, inserted: summary.inserted, updated: summary.updated,
                    duplicates: summary.duplicates,
                    errors: summary.errors.map { Report.RowError(line: $0.line, reason: $0.reason) },
                    seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000))
        }
    }
}
