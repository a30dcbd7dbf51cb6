using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The deal fields of crm.deal.update as parameters of Set-B24Deal and New-B24Deal, in the
    /// order of the documented example.</summary>
    public sealed class DealFields : SourceFields, IHistoryEventFields
    {
        [Parameter] public string Title { get; set; }
        [Parameter, Alias("TYPE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string TypeId { get; set; }
        [Parameter, Alias("STAGE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string StageId { get; set; }
        [Parameter, Alias("IS_RECURRING")] public SwitchParameter IsRecurring { get; set; }
        [Parameter, Alias("IS_RETURN_CUSTOMER")] public SwitchParameter IsReturnCustomer { get; set; }
        [Parameter, Alias("IS_REPEATED_APPROACH")] public SwitchParameter IsRepeatedApproach { get; set; }
        [Parameter] public int Probability { get; set; }
        [Parameter, Alias("CURRENCY_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string CurrencyId { get; set; }
        [Parameter] public decimal Opportunity { get; set; }
        [Parameter, Alias("IS_MANUAL_OPPORTUNITY")] public SwitchParameter IsManualOpportunity { get; set; }
        [Parameter, Alias("TAX_VALUE")] public decimal TaxValue { get; set; }
        [Parameter, Alias("ASSIGNED_BY_ID"), ArgumentCompleter(typeof(UserIdCompleter))] public UserReference AssignedById { get; set; }
        /// <summary>The pipeline: given, the deal moves there with crm.item.update (crm.deal.update cannot move it).</summary>
        [Parameter, Alias("CATEGORY_ID"), ArgumentCompleter(typeof(PipelineCompleter))] public int CategoryId { get; set; }
        [Parameter, Alias("COMPANY_ID")] public int CompanyId { get; set; }
        [Parameter, Alias("CONTACT_ID")] public int ContactId { get; set; }
        [Parameter, Alias("CONTACT_IDS")] public int[] ContactIds { get; set; }
        [Parameter] public DateTime BeginDate { get; set; }
        [Parameter] public DateTime CloseDate { get; set; }
        [Parameter] public SwitchParameter Opened { get; set; }
        [Parameter] public SwitchParameter Closed { get; set; }
        [Parameter] public string Comments { get; set; }
        [Parameter, Alias("SOURCE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string SourceId { get; set; }
        [Parameter, Alias("SOURCE_DESCRIPTION")] public string SourceDescription { get; set; }
        [Parameter, Alias("ADDITIONAL_INFO")] public string AdditionalInfo { get; set; }
        /// <summary>params.REGISTER_HISTORY_EVENT: -RegisterHistoryEvent:$false leaves the change out of the history.</summary>
        [Parameter] public SwitchParameter RegisterHistoryEvent { get; set; }
    }
}
