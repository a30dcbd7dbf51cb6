using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Creates leads with crm.lead.add, one per call or per piped hashtable or CSV row.</summary>
    [Cmdlet(VerbsCommon.New, "B24Lead", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.Lead")]
    [OutputType(typeof(int))]
    public sealed class NewB24LeadCommand : B24NewEntityCmdlet<LeadFields>, IDuplicateCheck
    {
        /// <summary>A lead whose phone or e-mail a lead, contact or company already holds is skipped or reported.</summary>
        [Parameter]
        public DuplicateAction IfDuplicate { get; set; }

        DuplicateAction? IDuplicateCheck.DuplicateAction => ParameterSpecified(nameof(IfDuplicate)) ? IfDuplicate : (DuplicateAction?)null;

        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
