using System.Collections.Generic;
using System.Linq;
using Bitrix24.Rest.Crm;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// The fields of an entity are declared twice: in its entity file (Crm/Entities) and as typed parameters
    /// (Parameters/*Fields.cs). This ties the two: adding a settable field without its parameter, a parameter
    /// without its field, or an alias that is not the API name fails here.
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class FieldParameterTests : ModuleTest
    {
        /// <summary>Parameters of Set-/New- that are not fields.</summary>
        private static readonly HashSet<string> NotFields = new HashSet<string>
        {
            "Id", "InputObject", "ReplaceMultiFields", "PassThru", "Fields", "RegisterSonetEvent", "RegisterHistoryEvent", "Connection", "IdOnly", "IfDuplicate",
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
            "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
        };

        public static IEnumerable<object[]> Commands() =>
            new[] { "Lead", "Deal", "Contact", "Company" }.SelectMany(e => new[] { new object[] { "Set", e }, new object[] { "New", e } });

        [Theory]
        [MemberData(nameof(Commands))]
        public void EverySettableFieldHasItsParameterAndEveryParameterItsField(string verb, string entityName)
        {
            var entity = CrmEntity.Named(entityName);
            var parameters = RunOk($"(Get-Command {verb}-B24{entityName}).Parameters.Values | ForEach-Object {{ $_.Name + '|' + ($_.Aliases -join ',') }}")
                .Output.Select(o => o.ToString().Split('|')).Where(p => !NotFields.Contains(p[0])).ToList();

            foreach (var parameter in parameters)
            {
                var field = entity.Find(parameter[0]);
                Assert.True(field != null, $"-{parameter[0]} of {verb}-B24{entityName} is no {entityName} field");
                Assert.False(field.IsReadOnly, $"-{parameter[0]} sets the read-only {field.ApiName}");
                Assert.Equal(field.ParameterName, parameter[0]);
                // CSV columns and objects bind by the API name: a parameter named otherwise carries it as its alias.
                var expectedAlias = string.Equals(field.ParameterName, field.ApiName, System.StringComparison.OrdinalIgnoreCase) ? "" : field.ApiName;
                Assert.True(parameter[1] == expectedAlias, $"-{parameter[0]} has the alias '{parameter[1]}'; it should be '{expectedAlias}'");
            }
            var missing = entity.Fields.Where(f => !f.IsReadOnly && parameters.All(p => p[0] != f.ParameterName)).Select(f => f.ApiName).ToList();
            Assert.True(missing.Count == 0, $"{verb}-B24{entityName} has no parameter for {string.Join(", ", missing)}");
        }
    }
}
