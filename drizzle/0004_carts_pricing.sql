CREATE TYPE "public"."promotion_kind" AS ENUM('percentage', 'fixed', 'free_shipping', 'buy_x_get_y');--> statement-breakpoint
CREATE TYPE "public"."promotion_target" AS ENUM('order', 'items');--> statement-breakpoint
CREATE TABLE "cart_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cart_id" uuid NOT NULL,
	"variant_id" uuid,
	"product_id" uuid,
	"quantity" integer NOT NULL,
	"added_unit_price" integer NOT NULL,
	"title" text NOT NULL,
	"variant_title" text NOT NULL,
	"sku" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_lines_quantity_range" CHECK ("cart_lines"."quantity" between 1 and 99),
	CONSTRAINT "cart_lines_price_not_negative" CHECK ("cart_lines"."added_unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "carts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid,
	"token_hash" text,
	"status" text DEFAULT 'active' NOT NULL,
	"currency" text NOT NULL,
	"coupon_code" text,
	"country" text,
	"region" text,
	"postal_code" text,
	"shipping_method_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carts_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "carts_status_known" CHECK ("carts"."status" in ('active', 'merged', 'converted')),
	CONSTRAINT "carts_has_owner" CHECK ("carts"."status" <> 'active' or "carts"."customer_id" is not null or "carts"."token_hash" is not null),
	CONSTRAINT "carts_country_alpha2" CHECK ("carts"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "promotion_redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"promotion_id" uuid NOT NULL,
	"user_id" uuid,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"code" text,
	"kind" "promotion_kind" NOT NULL,
	"percent" integer,
	"amount" integer,
	"buy_quantity" integer,
	"get_quantity" integer,
	"max_applications" integer,
	"target" "promotion_target" DEFAULT 'order' NOT NULL,
	"product_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"variant_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"category_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"collection_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"min_subtotal" integer,
	"first_order_only" boolean DEFAULT false NOT NULL,
	"customers_only" boolean DEFAULT false NOT NULL,
	"customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"usage_limit" integer,
	"usage_limit_per_customer" integer,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"stackable" boolean DEFAULT false NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_code_format" CHECK ("promotions"."code" ~ '^[A-Za-z0-9_-]{3,40}$'),
	CONSTRAINT "promotions_kind_fields" CHECK (case "promotions"."kind"
        when 'percentage' then "promotions"."percent" is not null and "promotions"."amount" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null
        when 'fixed' then "promotions"."amount" is not null and "promotions"."percent" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null
        when 'free_shipping' then "promotions"."percent" is null and "promotions"."amount" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null and "promotions"."target" = 'order'
        when 'buy_x_get_y' then "promotions"."percent" is not null and "promotions"."buy_quantity" is not null
          and "promotions"."get_quantity" is not null and "promotions"."amount" is null
        else false
      end),
	CONSTRAINT "promotions_percent_range" CHECK ("promotions"."percent" between 1 and 100),
	CONSTRAINT "promotions_amount_positive" CHECK ("promotions"."amount" > 0),
	CONSTRAINT "promotions_buy_quantity_range" CHECK ("promotions"."buy_quantity" between 1 and 99),
	CONSTRAINT "promotions_get_quantity_range" CHECK ("promotions"."get_quantity" between 1 and 99),
	CONSTRAINT "promotions_max_applications_positive" CHECK ("promotions"."max_applications" > 0),
	CONSTRAINT "promotions_target_ids" CHECK (("promotions"."target" = 'items') = (cardinality("promotions"."product_ids") + cardinality("promotions"."variant_ids")
        + cardinality("promotions"."category_ids") + cardinality("promotions"."collection_ids") > 0)),
	CONSTRAINT "promotions_dates_ordered" CHECK ("promotions"."ends_at" > "promotions"."starts_at"),
	CONSTRAINT "promotions_min_subtotal_positive" CHECK ("promotions"."min_subtotal" > 0),
	CONSTRAINT "promotions_usage_limit_positive" CHECK ("promotions"."usage_limit" > 0),
	CONSTRAINT "promotions_usage_limit_per_customer_positive" CHECK ("promotions"."usage_limit_per_customer" > 0),
	CONSTRAINT "promotions_usage_count_nonnegative" CHECK ("promotions"."usage_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shipping_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"countries" text[] NOT NULL,
	"rate" jsonb NOT NULL,
	"estimated_days_min" integer,
	"estimated_days_max" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipping_methods_countries_alpha2" CHECK (cardinality("shipping_methods"."countries") >= 1 and array_to_string("shipping_methods"."countries", ',') ~ '^[A-Z]{2}(,[A-Z]{2})*$'),
	CONSTRAINT "shipping_methods_rate_kind" CHECK ("shipping_methods"."rate"->>'kind' in ('flat', 'free_above', 'weight')),
	CONSTRAINT "shipping_methods_rate_amounts" CHECK (not jsonb_path_exists("shipping_methods"."rate", '$.** ? (@.type() == "number" && (@ < 0 || @ != @.floor()))')),
	CONSTRAINT "shipping_methods_estimated_days" CHECK ("shipping_methods"."estimated_days_min" >= 0 and "shipping_methods"."estimated_days_max" >= 0 and "shipping_methods"."estimated_days_min" <= "shipping_methods"."estimated_days_max")
);
--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"name" text NOT NULL,
	"rate_basis_points" integer NOT NULL,
	"applies_to_shipping" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rates_country_alpha2" CHECK ("tax_rates"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "tax_rates_region_code" CHECK ("tax_rates"."region" ~ '^[A-Z0-9]{1,3}$'),
	CONSTRAINT "tax_rates_basis_points" CHECK ("tax_rates"."rate_basis_points" between 0 and 10000)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "orders_placed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "public"."carts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_variant_id_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carts" ADD CONSTRAINT "carts_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carts" ADD CONSTRAINT "carts_shipping_method_id_shipping_methods_id_fk" FOREIGN KEY ("shipping_method_id") REFERENCES "public"."shipping_methods"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cart_lines_cart_variant_unique" ON "cart_lines" USING btree ("cart_id","variant_id");--> statement-breakpoint
CREATE INDEX "cart_lines_cart_created_idx" ON "cart_lines" USING btree ("cart_id","created_at","id");--> statement-breakpoint
CREATE INDEX "cart_lines_variant_idx" ON "cart_lines" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "cart_lines_product_idx" ON "cart_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "carts_one_active_per_customer" ON "carts" USING btree ("customer_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "promotion_redemptions_promotion_user_idx" ON "promotion_redemptions" USING btree ("promotion_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "promotions_code_unique" ON "promotions" USING btree (lower("code"));--> statement-breakpoint
CREATE INDEX "promotions_created_id_idx" ON "promotions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shipping_methods_created_id_idx" ON "shipping_methods" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shipping_methods_countries_idx" ON "shipping_methods" USING gin ("countries");--> statement-breakpoint
CREATE INDEX "tax_rates_created_id_idx" ON "tax_rates" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tax_rates_country_region_unique" ON "tax_rates" USING btree ("country",coalesce("region", ''));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_orders_placed_nonnegative" CHECK ("users"."orders_placed" >= 0);