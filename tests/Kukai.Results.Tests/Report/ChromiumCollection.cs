namespace Kukai.Results.Tests.Report;

/// <summary>Shares one <see cref="ChromiumFixture"/> (one browser process) across the browser tests.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
