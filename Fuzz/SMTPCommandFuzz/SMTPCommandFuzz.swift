import NIOCore
import SMTPCore

// libFuzzer entry point for the SMTP command, reply and DATA decoders.
// Built and run by scripts/fuzz-smtp.sh; compiled with -parse-as-library so that libFuzzer provides main.
//
// Besides "does not crash", it checks properties that must hold for every input:
// - framing never consumes more than it was given, and consumes nothing when it returns nil;
// - a parsed command, written and parsed again, gives the same command (the encoder and parser agree);
// - every error has a reply with a 4xx/5xx code and no CR or LF inside a line;
// - the DATA decoder gives the same output whether fed at once or one byte at a time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    fuzzCommands(bytes)
    fuzzReplies(bytes)
    fuzzData(bytes)
    return 0
}

private func fuzzCommands(_ bytes: [UInt8]) {
    var buffer = ByteBuffer(bytes: bytes)
    var rounds = 0
    while buffer.readableBytes > 0 && rounds < 64 {
        rounds += 1
        let before = buffer.readableBytes
        do {
            guard let command = try SMTPCommandParser.parse(buffer: &buffer, maxLineLength: 512) else {
                precondition(buffer.readableBytes == before, "incomplete input was consumed")
                return
            }
            checkRoundTrip(command)
        } catch {
            checkReply(error.reply)
            if error == .lineTooLong && buffer.readableBytes == 0 {
                return
            }
        }
        precondition(buffer.readableBytes < before, "no progress")
    }
}

private func checkRoundTrip(_ command: SMTPCommand) {
    var wire = ByteBuffer()
    command.write(into: &wire)
    let line = wire.getSlice(at: wire.readerIndex, length: wire.readableBytes - 2)!
    do {
        let again = try SMTPCommandParser.parse(line: line)
        precondition(again == command, "round trip changed \(command) into \(again)")
    } catch {
        preconditionFailure("written command \(command) does not parse: \(error)")
    }
}

private func checkReply(_ reply: SMTPReply) {
    precondition((400..<600).contains(reply.code))
    var wire = ByteBuffer()
    reply.write(into: &wire)
    var parser = SMTPReplyParser()
    do {
        let parsed = try parser.parse(&wire)
        precondition(parsed == reply, "error reply does not round-trip")
    } catch {
        preconditionFailure("error reply does not parse: \(error)")
    }
}

private func fuzzReplies(_ bytes: [UInt8]) {
    var parser = SMTPReplyParser(maxLineLength: 512, maxLines: 20)
    var buffer = ByteBuffer(bytes: bytes)
    var rounds = 0
    while rounds < 64 {
        rounds += 1
        let before = buffer.readableBytes
        do {
            guard let reply = try parser.parse(&buffer) else {
                precondition(buffer.readableBytes == before, "incomplete reply was consumed")
                return
            }
            precondition(buffer.readableBytes < before, "no progress")
            _ = reply.isPositiveCompletion
        } catch {
            return
        }
    }
}

private func fuzzData(_ bytes: [UInt8]) {
    var whole = DataStreamDecoder(maxLineLength: 100, maxMessageSize: 4096)
    var wholeInput = ByteBuffer(bytes: bytes)
    var wholeOutput = ByteBuffer()
    let wholeResult = whole.decode(&wholeInput, into: &wholeOutput)

    var split = DataStreamDecoder(maxLineLength: 100, maxMessageSize: 4096)
    var splitOutput = ByteBuffer()
    var splitResult = DataDecodeResult.needMore
    var consumed = 0
    for byte in bytes where splitResult == .needMore {
        var one = ByteBuffer(bytes: [byte])
        splitResult = split.decode(&one, into: &splitOutput)
        consumed += 1 - one.readableBytes
    }
    precondition(wholeResult == splitResult)
    precondition(wholeOutput == splitOutput)
    precondition(whole.violations == split.violations)
    precondition(whole.messageSize == split.messageSize)
    precondition(bytes.count - wholeInput.readableBytes == consumed)
    precondition(wholeOutput.readableBytes <= 4096)

    // What DotStuffing writes, the decoder reads back as the same message.
    var stuffed = ByteBuffer()
    DotStuffing.stuff(wholeOutput, into: &stuffed)
    var decoder = DataStreamDecoder(maxLineLength: 100_000, maxMessageSize: 100_000)
    var decoded = ByteBuffer()
    precondition(decoder.decode(&stuffed, into: &decoded) == .complete)
    precondition(stuffed.readableBytes == 0)
    precondition(!decoder.violations.bareCR && !decoder.violations.bareLF)
    let endsInCRLF = wholeOutput.readableBytesView.suffix(2).elementsEqual([0x0D, 0x0A])
    if whole.violations.isEmpty && (wholeOutput.readableBytes == 0 || endsInCRLF) {
        precondition(decoded == wholeOutput, "stuff then decode changed the message")
    }
}
