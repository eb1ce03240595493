/// Reduces an HTML bounce explanation to its text: tags removed, block ends as line breaks, a few entities.
enum HTMLText {
    static func strip(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count)
        var inTag = false
        var tag = ""
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased()
                    if name.hasPrefix("br") || name.hasPrefix("/p") || name.hasPrefix("/div") || name.hasPrefix("/tr")
                        || name.hasPrefix("p ") || name == "p" || name.hasPrefix("/h") || name.hasPrefix("/li")
                    {
                        output.append("\n")
                    }
                    tag = ""
                } else {
                    tag.append(character)
                }
            } else if character == "<" {
                inTag = true
            } else {
                output.append(character)
            }
        }
        for (entity, replacement) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            output = output.replacing(entity, with: replacement)
        }
        return output
    }
}
