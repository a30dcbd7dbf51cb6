# An everyday script per entity, in the shell a user has: deals moved through their pipeline from a CSV
# file, contacts cleaned up in place, companies exported and fixed, links and product rows.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000
}
AfterAll { Stop-TestPortal $portal }

Describe 'Deals' {
    It 'a CSV of stage changes goes through; the row whose stage is of another pipeline is reported with its ID' {
        $ids = @(Add-PortalRecord $portal deal -Count 3 -Fields @{ TITLE = 'csv deal' })
        $wholesale = @(Add-PortalRecord $portal deal -Fields @{ TITLE = 'wholesale'; CATEGORY_ID = '1'; STAGE_ID = 'C1:NEW' })[0]
        $file = Join-Path $TestDrive 'stages.csv'
        @($ids | ForEach-Object { [pscustomobject]@{ ID = $_; STAGE_ID = 'EXECUTING'; OPPORTUNITY = '1200.50' } }) +
            [pscustomobject]@{ ID = $wholesale; STAGE_ID = 'EXECUTING'; OPPORTUNITY = '1' } | Export-Csv $file -NoTypeInformation

        Import-Csv $file | Set-B24Deal -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be $wholesale
        $failed[0].Exception.Message | Should -Match 'pipeline 1 \(Wholesale\)'
        foreach ($id in $ids) { (Get-PortalRecord $portal deal $id).STAGE_ID | Should -Be 'EXECUTING' }
        (Get-PortalRecord $portal deal $wholesale).STAGE_ID | Should -Be 'C1:NEW'
    }

    It 'pipelines and their stages are there to look at, and -StageId completes the stages of the pipeline given' {
        (Get-B24DealPipeline).Name | Should -Be @('General', 'Wholesale')
        $line = 'Set-B24Deal -Id 1 -CategoryId 1 -StageId C1:'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'C1:WON'
        $completions | Should -Not -Contain 'WON'
    }

    It 'product rows: preview, replace, read back to CSV' {
        $deal = (Get-B24Deal -Filter @{ TITLE = 'Acme yearly order' }).ID
        Set-B24DealProductRow -Id $deal -Row @{ PRODUCT_NAME = 'Chair'; PRICE = 150; QUANTITY = 2 }, @{ PRODUCT_NAME = 'Desk'; PRICE = 400 } -Confirm:$false
        $file = Join-Path $TestDrive 'rows.csv'
        Get-B24DealProductRow -Id $deal | Export-Csv $file -NoTypeInformation
        $rows = Import-Csv $file
        $rows.PRODUCT_NAME | Should -Be @('Chair', 'Desk')
        (Get-B24Deal -Id $deal).OPPORTUNITY | Should -Be 700
    }
}

Describe 'Contacts' {
    It 'objects patched in place send only their edits; a phone is added once, never twice' {
        $before = @(Get-B24Contact -Filter @{ NAME = 'Anna' })[0]
        Clear-PortalLog $portal
        Get-B24Contact -Id $before.ID | ForEach-Object { $_.POST = 'Buyer'; $_ } | Set-B24Contact
        Set-B24Contact -Id $before.ID -Phone '+1 555 0300'
        Set-B24Contact -Id $before.ID -Phone '+1 555 0300'

        $update = @(Get-PortalCall $portal crm.contact.update)[0]
        ($update.parameters.fields | Get-Member -MemberType NoteProperty).Name | Should -Be 'POST'
        $after = Get-B24Contact -Id $before.ID
        $after.POST | Should -Be 'Buyer'
        @($after.PHONE | Where-Object VALUE -eq '+1 555 0300').Count | Should -Be 1
        $after.EMAIL[0].VALUE | Should -Be 'anna@acme.example'
    }

    It 'a misspelt column of a CSV row is refused with a suggestion, the rest go through' {
        $ids = @(Add-PortalRecord $portal contact -Count 2 -Fields @{ NAME = 'csv' })
        @([pscustomobject]@{ ID = $ids[0]; LAST_NAME = 'Good' }, [pscustomobject]@{ ID = $ids[1]; LAST_NAM = 'Bad' }) |
            Set-B24Contact -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -Match 'Did you mean LAST_NAME'
        (Get-PortalRecord $portal contact $ids[0]).LAST_NAME | Should -Be 'Good'
    }

    It 'companies of a contact are linked and read back' {
        $contact = @(Add-PortalRecord $portal contact -Fields @{ NAME = 'linked' })[0]
        $companies = @(Add-PortalRecord $portal company -Count 2 -Fields @{ TITLE = 'linked co' })
        Set-B24ContactCompany -Id $contact -CompanyId $companies -PrimaryCompanyId $companies[1] -Confirm:$false
        $links = Get-B24ContactCompany -Id $contact
        $links.CompanyId | Should -Be $companies
        ($links | Where-Object IsPrimary).CompanyId | Should -Be $companies[1]
    }
}

Describe 'Companies' {
    It 'an export edited and applied back; directory values are checked and completed' {
        $file = Join-Path $TestDrive 'companies.csv'
        Get-B24Company -Select ID, TITLE, INDUSTRY | Export-Csv $file -NoTypeInformation
        $rows = Import-Csv $file
        foreach ($row in $rows) { $row.INDUSTRY = 'CONSULTING' }
        $rows | Set-B24Company
        (Get-B24Company | Where-Object INDUSTRY -ne 'CONSULTING') | Should -BeNullOrEmpty

        { Set-B24Company -Id $rows[0].ID -Industry SPACE -ErrorAction Stop } | Should -Throw '*IT, TELECOM*'
        $line = 'Set-B24Company -Id 1 -Industry TELE'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'TELECOM'
    }

    It 'the default table of each entity fits 80 columns' {
        foreach ($command in 'Get-B24Deal', 'Get-B24Contact', 'Get-B24Company') {
            & $command | Get-ViewOverflow -Width 79 | Should -BeNullOrEmpty
        }
    }
}

Describe 'A full export edited in one column and imported back' {
    BeforeAll {
        $compare = {
            param($Before, $After, $Column)
            foreach ($record in $After) {
                $old = $Before | Where-Object ID -eq $record.ID
                foreach ($property in $record.PSObject.Properties) {
                    if ($property.Name -in $Column, 'DATE_MODIFY', 'MODIFY_BY_ID', 'MOVED_TIME', 'LAST_ACTIVITY_TIME', 'updatedTime', 'updatedBy', 'movedTime', 'lastActivityTime') { continue }
                    if ("$($property.Value)" -ne "$($old.($property.Name))") { "$($record.ID).$($property.Name): '$($old.($property.Name))' -> '$($property.Value)'" }
                }
            }
        }
    }

    It '<_> changes that column and nothing else, with one warning naming the columns left out' -ForEach 'Lead', 'Deal', 'Contact', 'Company' {
        $entity = $_
        $column = @{ Lead = 'TITLE'; Deal = 'TITLE'; Contact = 'POST'; Company = 'TITLE' }[$entity]
        $file = Join-Path $TestDrive "$entity.csv"
        if ($entity -eq 'Contact') { [IO.File]::WriteAllBytes("$TestDrive/face.png", [byte[]](137, 80, 78, 71)); $null = New-B24Contact -Name 'With photo' -Photo "$TestDrive/face.png" }
        $before = @(& "Get-B24$entity")
        $before | Export-Csv $file -NoTypeInformation
        $rows = Import-Csv $file
        foreach ($row in $rows) { $row.$column = "$($row.$column) (checked)" }

        $rows | & "Set-B24$entity" -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue

        $failed | Should -BeNullOrEmpty
        $warned.Count | Should -Be 1
        "$warned" | Should -Match 'DATE_CREATE'
        $after = @(& "Get-B24$entity")
        & $compare $before $after $column | Should -BeNullOrEmpty
        foreach ($record in $after) { $record.$column | Should -BeLike '* (checked)' }
    }

    It 'smart-process items and the item route do the same' {
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -Api Item -RateLimit 1000 -Burst 1000
        try {
            foreach ($entity in 'Deal', 'Contact') {
                $before = @(& "Get-B24$entity")
                $before | Export-Csv "$TestDrive/item-$entity.csv" -NoTypeInformation
                Import-Csv "$TestDrive/item-$entity.csv" | ForEach-Object { $_.COMMENTS = 'via crm.item'; $_ } | & "Set-B24$entity" -WarningAction SilentlyContinue
                & $compare $before @(& "Get-B24$entity") 'COMMENTS' | Should -BeNullOrEmpty
            }
            $items = @(Get-B24Item -Type Contracts)
            $items | Export-Csv "$TestDrive/items.csv" -NoTypeInformation
            Import-Csv "$TestDrive/items.csv" | ForEach-Object { $_.title = "$($_.title) (checked)"; $_ } | Set-B24Item -Type Contracts -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -Match 'createdTime'
            $after = @(Get-B24Item -Type Contracts)
            foreach ($item in $after) {
                $item.title | Should -BeLike '* (checked)'
                $old = $items | Where-Object id -eq $item.id
                $item.ufCrm5_Amount | Should -Be $old.ufCrm5_Amount
                $item.stageId | Should -Be $old.stageId
            }
        }
        finally { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000 }
    }

    It 'a read-only field given by hand is still refused' {
        { Set-B24Lead -Id 1600 -Fields @{ DATE_CREATE = '2020-01-01' } -ErrorAction Stop } | Should -Throw '*read-only*'
    }
}
