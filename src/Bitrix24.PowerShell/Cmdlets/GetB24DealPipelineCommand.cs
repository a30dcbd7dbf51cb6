using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the deal pipelines (crm.category.list, entityTypeId 2) with their stages (crm.status.list
    /// DEAL_STAGE, DEAL_STAGE_&lt;id&gt;).</summary>
    [Cmdlet(VerbsCommon.Get, "B24DealPipeline")]
    [OutputType("Bitrix24.Pipeline")]
    public sealed class GetB24DealPipelineCommand : B24GetPipelineCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
