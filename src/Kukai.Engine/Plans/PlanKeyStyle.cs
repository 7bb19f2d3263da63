namespace Kukai.Engine.Plans;

/// <summary>How a document spells plan keys: TOML uses snake_case (<c>delay_ms</c>), JSON camelCase (<c>delayMs</c>).</summary>
public enum PlanKeyStyle
{
    SnakeCase,
    CamelCase,
}
