using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the pipelines of a CRM type (crm.category.list) with their stages (crm.status.list
    /// DYNAMIC_&lt;type&gt;_STAGE_&lt;pipeline&gt;).</summary>
    [Cmdlet(VerbsCommon.Get, "B24ItemPipeline")]
    [OutputType("Bitrix24.Pipeline")]
    public sealed class GetB24ItemPipelineCommand : B24GetPipelineCmdlet, IDynamicParameters
    {
        private readonly ItemTypeParameters _typeParameters = new ItemTypeParameters();
        private CrmSchema _type;

        public object GetDynamicParameters() => _typeParameters;
        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(_typeParameters);
    }
}
