extension Array {
    /// `Array(repeating:count:)` without its allocation path that is not specialised for the element type and
    /// looks the array's type metadata up at run time on every call (some 500 instructions): on the signing path,
    /// where a handful of small arrays are made per message, that was a measurable share.
    init(filledWith value: Element, count: Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
