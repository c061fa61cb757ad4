using Truto.Mappings.Server.Connect;

namespace Truto.Mappings.Server.Tests.Connect;

public sealed class PkceTests
{
    // The expected value was computed apart: base64url(SHA-256(verifier)) without padding, by Python's hashlib.
    [Fact]
    public void The_S256_challenge_is_the_unpadded_base64url_SHA256_of_the_verifier()
        => Assert.Equal("cijZkRr3cGhzZfQwx3KffY9RZrZNtJPevfyg9Blxe5M", Pkce.Challenge("dBjftJeZ4CVP-mJ92IgNQ4YmoN-5l6fHm1dqvNMJsBQ"));

    [Fact]
    public void Random_values_are_43_base64url_characters_and_differ()
    {
        var one = Pkce.NewRandom();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", one);
        Assert.NotEqual(one, Pkce.NewRandom());
    }
}
