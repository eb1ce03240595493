extension CampaignStoreError {
    /// `notFound` for a numeric id.
    static func notFound(_ resource: String, _ id: Int64) -> CampaignStoreError {
        .notFound(resource: resource, id: String(id))
    }
}
