import Testing

@testable import PredictService

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "matches the FIPS 180-4 examples and block-boundary lengths",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                String(repeating: "a", count: 64),
                "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
            ),
        ])
    func digests(message: String, expected: String) {
        #expect(SHA256.hexDigest(Array(message.utf8)) == expected)
    }

    /// Lengths around the padding's one-or-two-block boundary (55/56) and whole blocks, with
    /// bytes (7i + 1) mod 256; expected values from Python's hashlib.
    @Test(
        "every tail length: one or two padding blocks after whole blocks",
        arguments: [
            (3, "ce562c676ea7aba9812f54db146b0096011bf3e423edfb0a6f8fb2b02674a801"),
            (55, "16fa57a0a3423a715d594516339f36189d6b5f93754a9714fef202616a9fabfe"),
            (56, "c37b44e5f1b18554b36966f4f8e08bfbf3164c4b6c10374d12d89850892073c5"),
            (63, "bbba992d2c85af960fb2987a1fd05e0aa82a3db3c740dd8982a9e273b75e36a3"),
            (64, "66bd4633ed6f71c4ecfa4763bf7ba1c8ec7612de9aa6c0578a7b675207c71e0b"),
            (65, "9f7dc47107b750a1f3d35db5d9547f24ef40da5b731b9540d4f43710a154f6c9"),
            (119, "a3ed307b730fa77c07531300c6e4a282330011d4d4caf6bb7b63ae05950f4b66"),
            (120, "8e3b15d9fea7472655aa069620b7f8c2e55ee1499f763200a7515fe826e99d20"),
            (128, "e462c130fef8c97e34f7dc3ff3ad2f8b3533ab849af21c10531552a2852387a4"),
            (1000, "095ecb62e30793ab4b954cd6a0586d0cc91f7ea5b1332694d8da780e98676d78"),
        ])
    func lengths(count: Int, expected: String) {
        let message = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        #expect(SHA256.hexDigest(message) == expected)
    }
}
