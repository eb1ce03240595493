import Suppression
import Testing

@Suite struct AddressNormalizationTests {
    @Test(arguments: [
        ("jane@example.com", "jane@example.com"),
        ("Jane@Example.COM", "jane@example.com"),
        ("<Jane@Example.COM>", "jane@example.com"),
        (" jane@example.com ", "jane@example.com"),
        ("jane+news@example.com", "jane+news@example.com"),
        ("Ünïcode@Exämple.de", "ünïcode@exämple.de"),
    ])
    func defaultsFoldCaseOnly(input: String, expected: String) {
        #expect(AddressNormalization().normalize(input) == expected)
    }

    @Test func plusTagFoldingIsOptIn() {
        let folding = AddressNormalization(foldCase: true, foldPlusTags: true)
        #expect(folding.normalize("Jane+News@example.com") == "jane@example.com")
        #expect(folding.normalize("jane+a+b@example.com") == "jane@example.com")
        // A local part that starts with "+" has no tag to fold.
        #expect(folding.normalize("+jane@example.com") == "+jane@example.com")
    }

    @Test func withoutCaseFoldingTheLocalPartKeepsItsCaseButTheDomainDoesNot() {
        let exact = AddressNormalization(foldCase: false, foldPlusTags: false)
        #expect(exact.normalize("Jane@Example.COM") == "Jane@example.com")
        #expect(exact.normalize("Jane@example.com") == "Jane@example.com")
    }

    @Test func theFingerprintShortcutAgreesWithNormaliseThenHash() {
        let samples = [
            "jane@example.com", "Jane@Example.COM", " <Jane+News@Example.com> ", "+jane@example.com",
            "\"Quoted+Local\"@Example.org", "a@B@c.example", "no-at-sign", "", "<>", "Ünïcode@Exämple.de",
            "x+y+z@EXAMPLE.NET", "   ", "MiXeD.Case+tag@sub.Domain.Example",
        ]
        for foldCase in [true, false] {
            for foldPlusTags in [true, false] {
                let normalization = AddressNormalization(foldCase: foldCase, foldPlusTags: foldPlusTags)
                for sample in samples {
                    #expect(
                        normalization.fingerprint(sample)
                            == FingerprintSet.fingerprint(normalization.normalize(sample)),
                        "\(sample) foldCase=\(foldCase) foldPlusTags=\(foldPlusTags)")
                }
            }
        }
    }
}
