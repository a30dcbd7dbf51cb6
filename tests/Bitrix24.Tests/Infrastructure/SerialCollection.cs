using Xunit;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>Tests that measure the process (memory, timing) run alone, after the parallel ones.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class SerialCollection
    {
        public const string Name = "Serial";
    }
}
