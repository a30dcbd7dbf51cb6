using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The fields most CRM types share, as parameters of Set-B24Item and New-B24Item; every other
    /// field (custom ufCrm… ones included) goes in -Fields by its camelCase name. A parameter the type
    /// lacks (-StageId on a type without stages) is refused. The type itself is -EntityTypeId or -Type.</summary>
    public sealed class ItemFields : ItemTypeParameters
    {
        [Parameter] public string Title { get; set; }
        /// <summary>The stage, e.g. DT1032_8:NEW: one of the item's own pipeline.</summary>
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string StageId { get; set; }
        /// <summary>The pipeline: given, the item moves there (with -StageId, to that stage; else to its first).</summary>
        [Parameter, ArgumentCompleter(typeof(PipelineCompleter))] public int CategoryId { get; set; }
        [Parameter, ArgumentCompleter(typeof(UserIdCompleter))] public UserReference AssignedById { get; set; }
        [Parameter] public decimal Opportunity { get; set; }
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string CurrencyId { get; set; }
        [Parameter] public DateTime BeginDate { get; set; }
        [Parameter] public DateTime CloseDate { get; set; }
        [Parameter] public int CompanyId { get; set; }
        [Parameter] public int ContactId { get; set; }
    }
}
