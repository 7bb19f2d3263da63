using System.Reflection;

namespace Kukai.Cli;

/// <summary>This build's version, for results files and <c>--version</c>.</summary>
public static class KukaiVersion
{
    public static string Current { get; } =
        typeof(KukaiVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
